import assert from "node:assert/strict";
import { test } from "node:test";
import { samplePoints } from "../src/report/sample.js";
import { bestPairs, separationByFeature } from "../src/report/separation.js";

function flags(rows: number, every: number): Uint8Array {
  return Uint8Array.from({ length: rows }, (_, i) => (i % every === 0 ? 1 : 0));
}

test("samplePoints same seed same sample", () => {
  const isAnomaly = flags(10_000, 50);
  const a = samplePoints(isAnomaly, 10_000, 1000, 5);
  const b = samplePoints(isAnomaly, 10_000, 1000, 5);
  const c = samplePoints(isAnomaly, 10_000, 1000, 6);
  assert.deepEqual(Array.from(a.indexes), Array.from(b.indexes));
  assert.notDeepEqual(Array.from(a.indexes), Array.from(c.indexes));
});

test("samplePoints keeps anomalies, last", () => {
  const isAnomaly = flags(10_000, 50);
  const sample = samplePoints(isAnomaly, 10_000, 1000, 1);
  assert.equal(sample.indexes.length, 1000);
  assert.equal(sample.sampled, true);
  assert.equal(sample.anomaliesDrawn, 200);
  assert.equal(sample.normalDrawn, 800);
  assert.equal(new Set(sample.indexes).size, 1000, "indexes repeat");
  const tail = Array.from(sample.indexes.subarray(800));
  assert.ok(tail.every((i) => isAnomaly[i] === 1), "anomalies are not drawn last");
});

test("samplePoints caps anomalies at a quarter", () => {
  const isAnomaly = flags(10_000, 2);
  const sample = samplePoints(isAnomaly, 10_000, 1000, 1);
  assert.equal(sample.anomaliesDrawn, 250);
  assert.equal(sample.normalDrawn, 750);
});

test("samplePoints small input unsampled", () => {
  const sample = samplePoints(flags(30, 7), 30, 1000, 1);
  assert.equal(sample.sampled, false);
  assert.equal(sample.indexes.length, 30);
});

test("separation ranks the separating feature", () => {
  // Feature 1 moves anomalies far away; features 0 and 2 do not differ.
  const rows = 100;
  const d = 3;
  const isAnomaly = flags(rows, 10);
  const scaled = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    scaled[i * d] = (i % 7) / 7;
    scaled[i * d + 1] = (isAnomaly[i] ? 5 : 0) + (i % 3) / 3;
    scaled[i * d + 2] = (i % 5) / 5;
  }
  const separation = separationByFeature(scaled, rows, d, isAnomaly);
  assert.ok(separation[1] > 3, `feature 1 separation ${separation[1]}`);
  assert.ok(separation[0] < 1, `feature 0 separation ${separation[0]}`);
  const pairs = bestPairs(separation, 3);
  assert.equal(pairs.length, 3);
  assert.ok(pairs[0].includes(1), `best pair ${pairs[0]} lacks feature 1`);
  assert.ok(pairs[1].includes(1), `second pair ${pairs[1]} lacks feature 1`);
});

test("separation without anomalies is zero", () => {
  const separation = separationByFeature(new Float64Array([1, 2, 3, 4]), 2, 2, new Uint8Array(2));
  assert.deepEqual(Array.from(separation), [0, 0]);
  assert.deepEqual(bestPairs(new Float64Array(1), 3), []);
});
