import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { drawFigure, renderFigure } from "../src/report/figure.js";
import { fittedMammography, fittedOrders, tempDir } from "./report-helpers.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  assert.ok(match, "the SVG has no width and height");
  return { width: Number(match[1]), height: Number(match[2]) };
}

test("drawFigure order panels and files", async () => {
  const fitted = await fittedOrders();
  const outDir = tempDir("figure");
  const files = await drawFigure({ ...fitted, outDir });
  assert.equal(files.png, join(outDir, "anomaly_analysis.png"));
  assert.equal(files.svg, join(outDir, "anomaly_analysis.svg"));

  const png = readFileSync(files.png);
  const svg = readFileSync(files.svg, "utf8");
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  const size = svgSize(svg);
  assert.deepEqual(pngSize(png), { width: 2 * size.width, height: 2 * size.height });

  for (const title of [
    "Items per order vs total cost",
    "Timing: hour of day vs items",
    "Request frequency: time since last order vs items",
    "Total cost: normal vs anomalous",
    "PCA of the scaled features",
    "Anomaly intensity: deviation z per feature",
  ]) {
    assert.ok(svg.includes(title), `panel title missing: ${title}`);
  }
  for (const axis of ["Total cost ($)", "Order time (h)", "Time since last order (min)"]) {
    assert.ok(svg.includes(axis), `axis title missing: ${axis}`);
  }
  assert.match(svg, /PC1 \(\d+\.\d % of variance\)/);
  assert.ok(svg.includes("Absolutely Not 🚨"), "the noise name is missing from the legend");
  for (const cluster of fitted.model.clusters) {
    assert.ok(svg.includes(cluster.name), `cluster name missing: ${cluster.name}`);
  }
  assert.ok(svg.includes("z (σ from normal)"), "the heatmap colour bar title is missing");
});

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `character ${i}: ${JSON.stringify(a.slice(i, i + 60))} vs ${JSON.stringify(b.slice(i, i + 60))}`;
}

test("drawFigure same input same bytes", async () => {
  const fitted = await fittedOrders();
  const first = await renderFigure({ ...fitted, maxPoints: 300, seed: 9 });
  const second = await renderFigure({ ...fitted, maxPoints: 300, seed: 9 });
  const other = await renderFigure({ ...fitted, maxPoints: 300, seed: 10 });
  assert.ok(first.svg === second.svg, `SVG differs between two runs at ${firstDifference(first.svg, second.svg)}`);
  assert.ok(first.png.equals(second.png), "PNG differs between two runs");
  assert.ok(first.svg !== other.svg, "another seed drew the same sample");
});

test("drawFigure says when it samples", async () => {
  const fitted = await fittedOrders();
  const { svg } = await renderFigure({ ...fitted, maxPoints: 300 });
  const anomalies = fitted.model.scoreMatrix(fitted.values, fitted.rows).isAnomaly.reduce((a, b) => a + b, 0);
  assert.ok(
    svg.includes(`random sample of 300 of 1,000 orders, all anomalies kept`),
    `no sampling note (anomalies: ${anomalies})`,
  );
});

test("drawFigure adapts to other features", async () => {
  const fitted = await fittedMammography();
  const outDir = tempDir("figure-mammography");
  const files = await drawFigure({ ...fitted, outDir });
  const svg = readFileSync(files.svg, "utf8");
  const pairs = new Set(svg.match(/Separating pair \d: f\d vs f\d/g));
  assert.equal(pairs.size, 3, [...pairs].join("; "));
  assert.ok(svg.includes("Anomaly score: normal vs anomalous"), "score histogram missing");
  assert.ok(svg.includes("threshold"), "threshold rule label missing");
  assert.ok(svg.includes("PCA of the scaled features"), "PCA panel missing");
  assert.ok(svg.includes("Anomaly intensity"), "heatmap missing");
  assert.ok(svg.includes("random sample of 4,000 of 11,183 rows"), "sampling note missing");
  assert.equal(svg.includes(">label<"), false, "the label column leaked into the figure");
  assert.deepEqual(readFileSync(files.png).subarray(0, 8), PNG_SIGNATURE);
});

test("drawFigure rejects mismatched input", async () => {
  const fitted = await fittedOrders();
  const outDir = tempDir("figure-errors");
  await assert.rejects(
    drawFigure({ ...fitted, features: [...fitted.features].reverse(), outDir }),
    /do not match the model's features/,
  );
  await assert.rejects(
    drawFigure({ ...fitted, values: fitted.values.subarray(1), outDir }),
    /values has 5999 numbers, expected rows × features = 1000 × 6 = 6000/,
  );
  await assert.rejects(drawFigure({ ...fitted, rows: 0, outDir }), /rows must be a positive integer/);
  await assert.rejects(
    drawFigure({ ...fitted, ids: ["a"], outDir }),
    /ids has 1 entries, expected one per row \(1000\)/,
  );
});
