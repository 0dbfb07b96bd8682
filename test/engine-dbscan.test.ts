import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { dbscan } from "../src/engine/dbscan.js";
import { StandardScaler } from "../src/engine/scaler.js";
import { FIXTURES, readNumericCsv } from "./helpers/fixtures.js";
import { blobs } from "./helpers/random.js";

/** Textbook DBSCAN over all pairs, with scikit-learn's numbering and border rule. */
function bruteDbscan(points: Float64Array, rows: number, dims: number, eps: number, minSamples: number, periods?: number[]) {
  const near: number[][] = [];
  for (let i = 0; i < rows; i++) {
    near.push([]);
    for (let j = 0; j < rows; j++) {
      let sum = 0;
      for (let k = 0; k < dims; k++) {
        let diff = Math.abs(points[i * dims + k] - points[j * dims + k]);
        const p = periods?.[k] ?? 0;
        if (p > 0) diff = Math.min(diff, p - diff);
        sum += diff * diff;
      }
      if (sum <= eps * eps) near[i].push(j);
    }
  }
  const core = near.map((n) => n.length >= minSamples);
  const labels = new Array<number>(rows).fill(-1);
  let next = 0;
  for (let i = 0; i < rows; i++) {
    if (!core[i] || labels[i] !== -1) continue;
    const queue = [i];
    labels[i] = next;
    while (queue.length) {
      const p = queue.shift()!;
      for (const q of near[p]) {
        if (labels[q] === -1) {
          labels[q] = next;
          if (core[q]) queue.push(q);
        }
      }
    }
    next++;
  }
  return { labels, core };
}

for (const name of readdirSync(join(FIXTURES, "dbscan-parity"))) {
  test(`dbscan matches scikit-learn: ${name}`, () => {
    const folder = join(FIXTURES, "dbscan-parity", name);
    const meta = JSON.parse(readFileSync(join(folder, "meta.json"), "utf8"));
    const { values, rows, header } = readNumericCsv(join(folder, "data.csv"));
    const scaler = StandardScaler.fit(values, rows, header.length, meta.scale);
    const result = dbscan(scaler.transform(values, rows), rows, header.length, {
      eps: meta.eps,
      minSamples: meta.min_samples,
    });
    const expected = readFileSync(join(folder, "expected.csv"), "utf8").trim().split(/\r?\n/).slice(1);
    assert.equal(expected.length, rows);
    for (let i = 0; i < rows; i++) {
      assert.equal(`${result.labels[i]},${result.isCore[i]}`, expected[i], `row ${i + 1} of ${name}`);
    }
  });
}

test("dbscan matches brute force on random data", () => {
  for (const [seed, dims, eps, minSamples, grid] of [
    [1, 2, 0.3, 4, 0.1],
    [2, 3, 0.5, 5, 0],
    [3, 6, 1.2, 10, 0.25],
    [4, 4, 0.8, 1, 0.5],
  ] as const) {
    const rows = 700;
    const points = blobs(rows, dims, seed, grid);
    const result = dbscan(points, rows, dims, { eps, minSamples });
    const expected = bruteDbscan(points, rows, dims, eps, minSamples);
    assert.deepEqual(Array.from(result.labels), expected.labels, `labels, seed ${seed}`);
    assert.deepEqual(Array.from(result.isCore, Boolean), expected.core, `core flags, seed ${seed}`);
  }
});

test("dbscan wraps a periodic axis", () => {
  const rows = 600;
  const points = blobs(rows, 2, 9, 0);
  for (let i = 0; i < rows; i++) points[i * 2] = ((points[i * 2] % 6) + 6) % 6;
  const result = dbscan(points, rows, 2, { eps: 0.4, minSamples: 5, periods: Float64Array.from([6, 0]) });
  const expected = bruteDbscan(points, rows, 2, 0.4, 5, [6, 0]);
  assert.deepEqual(Array.from(result.labels), expected.labels);
});

test("dbscan semantics: eps inclusive, point counts itself", () => {
  // Three points 1 apart on a line: with eps 1 each end has 2 neighbours (itself included).
  const points = new Float64Array([0, 1, 2, 10]);
  const atEps = dbscan(points, 4, 1, { eps: 1, minSamples: 3 });
  assert.deepEqual(Array.from(atEps.isCore), [0, 1, 0, 0]);
  assert.deepEqual(Array.from(atEps.labels), [0, 0, 0, -1]);
  const alone = dbscan(points, 4, 1, { eps: 0.5, minSamples: 1 });
  assert.deepEqual(Array.from(alone.labels), [0, 1, 2, 3]);
});

test("dbscan gives a border point the smallest cluster number", () => {
  // With eps 1 and minSamples 4, point 5 has 3 neighbours (4, 5, 6), so it is a border
  // point of both the cluster around 6 and the cluster around 4, which are exactly 1 away.
  const right = [6, 6.4, 6.8, 7.2];
  const left = [2.8, 3.2, 3.6, 4];
  for (const order of [[5, ...right, ...left], [5, ...left, ...right]]) {
    const result = dbscan(Float64Array.from(order), order.length, 1, { eps: 1, minSamples: 4 });
    assert.equal(result.isCore[0], 0, "point 5 is not core");
    assert.equal(result.clusterCount, 2);
    assert.equal(result.labels[0], 0, `border label for order ${order.join(" ")}`);
  }
});

test("dbscan rejects bad parameters", () => {
  assert.throws(() => dbscan(new Float64Array(2), 2, 1, { eps: 0, minSamples: 2 }), {
    message: "eps must be a positive finite number, received 0",
  });
  assert.throws(() => dbscan(new Float64Array(2), 2, 1, { eps: 1, minSamples: 0.5 }), {
    message: "minSamples must be an integer of at least 1, received 0.5",
  });
});

test("dbscan reproduces the original orders' clusters", () => {
  const path = join(FIXTURES, "original-orders", "bobs_burgers_orders.csv");
  const lines = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const names = ["items_per_order", "time_since_last_order", "order_time", "customer_frequency", "total_cost", "prep_time_estimate"];
  const columns = names.map((n) => header.indexOf(n));
  const rows = lines.length - 1;
  const values = new Float64Array(rows * 6);
  const expected: number[] = [];
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(",");
    columns.forEach((c, k) => (values[i * 6 + k] = Number(cells[c])));
    expected.push(Number(cells[header.indexOf("cluster")]));
  });
  const scaled = StandardScaler.fit(values, rows, 6, "standard").transform(values, rows);
  const result = dbscan(scaled, rows, 6, { eps: 0.8, minSamples: 10 });
  assert.deepEqual(Array.from(result.labels), expected);
  const sizes = [-1, 0, 1, 2].map((c) => expected.filter((l) => l === c).length);
  assert.deepEqual(sizes, [54, 506, 136, 304]);
});
