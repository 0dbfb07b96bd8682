/**
 * Times fit and scoring on generated Bob's Burgers orders and prints rows per second
 * and peak memory. Each size runs in its own child process, so peak memory is that
 * fit's own.
 *
 *   npm run bench                       10k, 100k and 1M rows, one thread per core
 *   npm run bench -- --sizes 5000000    other sizes, comma-separated
 *   npm run bench -- --threads 1        the k-distance search on the main thread only
 *   npm run bench -- --eps 0.8          a fixed eps instead of "auto"
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { availableParallelism } from "node:os";
import { generateOrders } from "../src/data/generator.js";
import { ORDER_FEATURE_NAMES } from "../src/engine/index.js";

interface ChildResult {
  rows: number;
  fitMillis: number;
  clusters: number;
  noise: number;
  coreSamples: number;
  batchRowsPerSecond: number;
  singleMedianMicros: number;
  baselineMb: number;
  peakMb: number;
  threads: number;
  /** Milliseconds per fit phase, in order. */
  phases: Record<string, number>;
}

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000,1000000" },
    seed: { type: "string", default: "7" },
    threads: { type: "string", default: String(availableParallelism()) },
    eps: { type: "string", default: "auto" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const seed = Number(values.seed);
const folder = join(process.cwd(), ".bench");
mkdirSync(folder, { recursive: true });

const results: ChildResult[] = [];
for (const rows of sizes) {
  const path = join(folder, `orders-${rows}-${seed}.f64`);
  writeMatrix(path, rows, seed);
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--expose-gc",
      join(import.meta.dirname, "engine-child.ts"),
      path,
      String(rows),
      values.threads,
      values.eps,
    ],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) {
    process.stderr.write(child.stderr);
    throw new Error(`benchmark child for ${rows} rows failed with exit code ${child.status}`);
  }
  const result = JSON.parse(child.stdout.trim().split("\n").pop()!) as ChildResult;
  results.push(result);
  printRow(result);
}
printGrowth(results);

function writeMatrix(path: string, rows: number, seed: number): void {
  const orders = generateOrders({ rows, seed });
  const matrix = new Float64Array(rows * ORDER_FEATURE_NAMES.length);
  orders.forEach((order, i) => {
    ORDER_FEATURE_NAMES.forEach((name, k) => {
      matrix[i * ORDER_FEATURE_NAMES.length + k] = order[name as keyof typeof order] as number;
    });
  });
  writeFileSync(path, new Uint8Array(matrix.buffer));
}

function printRow(r: ChildResult): void {
  const fitRate = Math.round((r.rows / r.fitMillis) * 1000);
  console.log(
    [
      `${r.rows.toLocaleString("en-US")} rows:`,
      `fit ${(r.fitMillis / 1000).toFixed(2)} s (${fitRate.toLocaleString("en-US")} rows/s),`,
      `${r.clusters} clusters, ${r.noise} noise, ${r.coreSamples} core samples;`,
      `peak RSS ${r.peakMb.toFixed(0)} MB (${(r.peakMb - r.baselineMb).toFixed(0)} MB above the loaded data);`,
      `batch scoring ${Math.round(r.batchRowsPerSecond).toLocaleString("en-US")} rows/s;`,
      `one-row scoring ${r.singleMedianMicros.toFixed(2)} µs median`,
    ].join(" "),
  );
  const phases = Object.entries(r.phases)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`)
    .join(", ");
  console.log(`    fit phases with ${r.threads} thread(s), eps ${values.eps}: ${phases}`);
}

function printGrowth(rows: ChildResult[]): void {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const exponent = Math.log(b.fitMillis / a.fitMillis) / Math.log(b.rows / a.rows);
    console.log(
      `fit time from ${a.rows.toLocaleString("en-US")} to ${b.rows.toLocaleString("en-US")} rows: ` +
        `×${(b.fitMillis / a.fitMillis).toFixed(1)} for ×${(b.rows / a.rows).toFixed(0)} rows ` +
        `(grows as rows^${exponent.toFixed(2)})`,
    );
  }
}
