import assert from "node:assert/strict";
import { test } from "node:test";
import { StandardScaler } from "../src/engine/scaler.js";
import { circularDiff, circularMean, circularStd } from "../src/engine/circular.js";

test("scaler uses the population standard deviation", () => {
  // Column 0: 1, 2, 3, 4 has mean 2.5 and population variance 1.25.
  const values = new Float64Array([1, 10, 2, 10, 3, 10, 4, 10]);
  const scaler = StandardScaler.fit(values, 4, 2, "standard");
  assert.equal(scaler.mean[0], 2.5);
  assert.equal(scaler.scale[0], Math.sqrt(1.25));
  const out = scaler.transform(values, 4);
  assert.equal(out[0], (1 - 2.5) / Math.sqrt(1.25));
});

test("scaler keeps a constant column's mean and scales it to 0", () => {
  const values = new Float64Array([7, 1, 7, 2, 7, 3]);
  const scaler = StandardScaler.fit(values, 3, 2, "standard");
  assert.equal(scaler.mean[0], 7);
  assert.equal(scaler.scale[0], 1);
  const out = scaler.transform(values, 3);
  assert.deepEqual([out[0], out[2], out[4]], [0, 0, 0]);
});

test("scaler is stable for epoch-second magnitudes", () => {
  const rows = 1000;
  const near = new Float64Array(rows);
  const far = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    near[i] = (i * 37) % 101;
    far[i] = 1.5e9 + near[i];
  }
  const a = StandardScaler.fit(near, rows, 1, "standard").transform(near, rows);
  const b = StandardScaler.fit(far, rows, 1, "standard").transform(far, rows);
  for (let i = 0; i < rows; i++) {
    assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `row ${i}: ${a[i]} vs ${b[i]}`);
  }
});

test("scaler with mode none leaves values unchanged", () => {
  const values = new Float64Array([1, 5, 9]);
  const out = StandardScaler.fit(values, 3, 1, "none").transform(values, 3);
  assert.deepEqual(Array.from(out), [1, 5, 9]);
});

test("scaler wraps a cyclic feature", () => {
  const hours = new Float64Array([23.5, 0.5, 23.75, 0.25]);
  const scaler = StandardScaler.fit(hours, 4, 1, "standard", [24]);
  assert.ok(Math.abs(circularDiff(scaler.mean[0], 0, 24)) < 1e-9, `circular mean ${scaler.mean[0]}`);
  const scaled = scaler.transform(new Float64Array([-1, 25]), 2);
  assert.ok(Math.abs(scaled[0] - 23 / scaler.scale[0]) < 1e-12);
  assert.ok(Math.abs(scaled[1] - 1 / scaler.scale[0]) < 1e-12);
});

test("circular mean of 23:00 and 01:00 is midnight", () => {
  assert.ok(Math.abs(circularMean([23, 1], 24)) < 1e-9, `mean ${circularMean([23, 1], 24)}`);
  assert.ok(Math.abs(circularMean([11, 13], 24) - 12) < 1e-9);
  assert.ok(Math.abs(circularMean([22, 23, 0, 1, 2], 24)) < 1e-9);
});

test("circular spread of tight hours matches the linear one", () => {
  const hours = [23.5, 23.75, 0, 0.25, 0.5];
  const linear = [-0.5, -0.25, 0, 0.25, 0.5];
  const mean = 0;
  const std = Math.sqrt(linear.reduce((s, x) => s + (x - mean) ** 2, 0) / linear.length);
  assert.ok(Math.abs(circularStd(hours, 24) - std) < 0.01, `${circularStd(hours, 24)} vs ${std}`);
  assert.equal(circularDiff(23.5, 0.5, 24), -1);
  assert.equal(circularDiff(0.5, 23.5, 24), 1);
});
