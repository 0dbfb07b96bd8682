/**
 * Times the analysis figure and the HTML report on 10,000 and 100,000 generated orders.
 * The model is fitted on the first 10,000 orders, and fitting is not timed. Drawing
 * scores every row, so the printed times include scoring.
 *
 * Run: npm run bench:report
 */

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateOrders } from "../src/data/generator.js";
import { ORDER_FEATURE_NAMES, OrderAnomalyModel } from "../src/engine/index.js";
import { drawFigure } from "../src/report/figure.js";
import { writeReport } from "../src/report/html.js";

const SIZES = [10_000, 100_000];
const FIT_ROWS = 10_000;
const SEED = 42;
/** Repeats per size; the table shows the fastest and the median. */
const REPEATS = 3;

function toMatrix(orders: ReturnType<typeof generateOrders>): Float64Array {
  const d = ORDER_FEATURE_NAMES.length;
  const values = new Float64Array(orders.length * d);
  orders.forEach((order, i) => {
    ORDER_FEATURE_NAMES.forEach((name, k) => {
      values[i * d + k] = order[name as keyof typeof order] as number;
    });
  });
  return values;
}

async function timeIt(run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const largest = Math.max(...SIZES);
  const orders = generateOrders({ rows: largest, seed: SEED });
  const all = toMatrix(orders);
  const ids = orders.map((o) => o.order_id);
  const d = ORDER_FEATURE_NAMES.length;
  const model = new OrderAnomalyModel().fitMatrix(all.subarray(0, FIT_ROWS * d), FIT_ROWS);
  const outDir = mkdtempSync(join(tmpdir(), "sigh-bench-report-"));

  // One untimed run loads Vega, the fonts and the JIT, as a long-running process would have.
  await drawFigure({ model, values: all.subarray(0, 1000 * d), rows: 1000, features: model.featureNames, outDir });

  console.log(`node ${process.version}, model fitted on ${FIT_ROWS} orders (eps ${model.eps}), ${REPEATS} runs each`);
  console.log("task            rows      fastest ms  median ms  rows/s (median)  output");
  for (const rows of SIZES) {
    const input = {
      model, values: all.subarray(0, rows * d), rows, features: model.featureNames,
      ids: ids.slice(0, rows), outDir,
    };
    const figure = await timeIt(() => drawFigure(input));
    const png = statSync(join(outDir, "anomaly_analysis.png")).size;
    printRow("drawFigure", rows, figure, `PNG ${(png / 1024).toFixed(0)} KiB`);
    const report = await timeIt(() => writeReport(input));
    const html = statSync(join(outDir, "report.html")).size;
    printRow("writeReport", rows, report, `HTML ${(html / 1024 / 1024).toFixed(1)} MiB`);
  }
  rmSync(outDir, { recursive: true, force: true });
}

function printRow(task: string, rows: number, times: number[], output: string): void {
  const median = times[Math.floor(times.length / 2)];
  const rate = Math.round(rows / (median / 1000));
  console.log(
    `${task.padEnd(14)}  ${String(rows).padStart(7)}  ${times[0].toFixed(0).padStart(10)}` +
      `  ${median.toFixed(0).padStart(9)}  ${String(rate).padStart(15)}  ${output}`,
  );
}

await main();
