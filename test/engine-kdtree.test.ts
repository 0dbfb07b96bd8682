import assert from "node:assert/strict";
import { test } from "node:test";
import { KdTree } from "../src/engine/kdtree.js";
import { blobs, seededRandom } from "./helpers/random.js";

function bruteDist2(points: Float64Array, dims: number, i: number, q: Float64Array, periods?: number[]) {
  let sum = 0;
  for (let k = 0; k < dims; k++) {
    let diff = Math.abs(q[k] - points[i * dims + k]);
    const p = periods?.[k] ?? 0;
    if (p > 0) diff = Math.min(diff, p - diff);
    sum += diff * diff;
  }
  return sum;
}

const cases = [
  { name: "3d blobs", rows: 3000, dims: 3, grid: 0, periods: undefined },
  { name: "6d grid ties", rows: 2000, dims: 6, grid: 0.5, periods: undefined },
  { name: "2d one periodic axis", rows: 2000, dims: 2, grid: 0, periods: [10, 0] },
];

for (const c of cases) {
  test(`kd-tree radius query matches brute force: ${c.name}`, () => {
    const points = blobs(c.rows, c.dims, 7, c.grid);
    if (c.periods) for (let i = 0; i < c.rows; i++) points[i * c.dims] = ((points[i * c.dims] % 10) + 10) % 10;
    const tree = new KdTree(points, c.rows, c.dims, c.periods ? Float64Array.from(c.periods) : undefined);
    const random = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const q = points.slice((trial * 13 % c.rows) * c.dims, (trial * 13 % c.rows) * c.dims + c.dims);
      if (trial % 2) for (let k = 0; k < c.dims; k++) q[k] = c.periods?.[k] ? random() * 10 : q[k] + random() - 0.5;
      const r = [0.5, 1, 1.5][trial % 3];
      const found = new Set<number>();
      tree.forEachWithin(q, 0, r * r, (j) => found.add(tree.ids[j]));
      const expected = new Set<number>();
      for (let i = 0; i < c.rows; i++) if (bruteDist2(points, c.dims, i, q, c.periods) <= r * r) expected.add(i);
      for (const i of expected) assert.ok(found.has(i), `missed point ${i} within ${r} of query ${trial}`);
      for (const i of found) assert.ok(expected.has(i), `false hit ${i} beyond ${r} of query ${trial}`);
      const counted = tree.countWithin(q, 0, r * r, Infinity);
      assert.equal(counted, expected.size, `count within ${r} for query ${trial}`);
    }
  });

  test(`kd-tree nearest and k nearest match brute force: ${c.name}`, () => {
    const points = blobs(c.rows, c.dims, 11, c.grid);
    if (c.periods) for (let i = 0; i < c.rows; i++) points[i * c.dims] = ((points[i * c.dims] % 10) + 10) % 10;
    const tree = new KdTree(points, c.rows, c.dims, c.periods ? Float64Array.from(c.periods) : undefined);
    const random = seededRandom(5);
    const out = new Float64Array(1);
    const knn = new Float64Array(7);
    for (let trial = 0; trial < 200; trial++) {
      const q = new Float64Array(c.dims).map((_, k) => (c.periods?.[k] ? random() * 10 : random() * 9 - 1));
      const all: number[] = [];
      for (let i = 0; i < c.rows; i++) all.push(bruteDist2(points, c.dims, i, q, c.periods));
      all.sort((a, b) => a - b);
      const j = tree.nearest(q, 0, out);
      assert.equal(out[0], all[0], `nearest distance for query ${trial}`);
      assert.equal(bruteDist2(points, c.dims, tree.ids[j], q, c.periods), all[0]);
      tree.knnDistances2(q, 0, 7, knn);
      assert.deepEqual(Array.from(knn), all.slice(0, 7), `7 nearest for query ${trial}`);
    }
  });
}

test("kd-tree handles empty input and identical points", () => {
  const empty = new KdTree(new Float64Array(0), 0, 3);
  const out = new Float64Array(1);
  assert.equal(empty.nearest(new Float64Array(3), 0, out), -1);
  assert.equal(empty.countWithin(new Float64Array(3), 0, 1, 10), 0);
  const same = new KdTree(new Float64Array(300).fill(2), 100, 3);
  assert.equal(same.countWithin(new Float64Array([2, 2, 2]), 0, 0, Infinity), 100);
});
