import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AnomalyModel, KdTree, sequentialKDistances } from "../src/engine/index.js";
import { createParallelRunner, type ParallelRunner } from "../src/train/parallel.js";
import { blobs } from "./helpers/random.js";

let runner: ParallelRunner;
before(async () => {
  runner = await createParallelRunner({ threads: 2 });
});
after(async () => {
  await runner.close();
});

test("parallel k-distances equal sequential ones", () => {
  const rows = 20000;
  const points = blobs(rows, 4, 21, 0.05);
  const tree = new KdTree(points, rows, 4);
  const sequential = new Float64Array(rows);
  const parallel = new Float64Array(rows);
  sequentialKDistances(tree, 7, 0.25, sequential, () => {});
  let lastProgress = 0;
  runner.run(tree, 7, 0.25, parallel, (done) => (lastProgress = done));
  assert.deepEqual(parallel, sequential);
  assert.equal(lastProgress, rows, "progress reaches every row");
});

test("parallel fit equals sequential fit", () => {
  const rows = 15000;
  const values = blobs(rows, 3, 5, 0);
  const features = ["a", "b", "c"];
  const one = new AnomalyModel({ features }).fitMatrix(values, rows);
  const two = new AnomalyModel({ features }).fitMatrix(values, rows, { kDistanceRunner: runner.run });
  assert.deepEqual(two.labels, one.labels);
  assert.deepEqual(two.isCore, one.isCore);
  assert.equal(two.eps, one.eps);
  const a = one.scoreMatrix(values, rows);
  const b = two.scoreMatrix(values, rows);
  assert.deepEqual(b.score, a.score);
});

test("parallel runner can be reused across fits", () => {
  const values = blobs(3000, 2, 8, 0);
  for (let i = 0; i < 3; i++) {
    const model = new AnomalyModel({ features: ["x", "y"], eps: 0.3 }).fitMatrix(values, 3000, {
      kDistanceRunner: runner.run,
    });
    assert.ok(model.summary.clusters > 0);
  }
});
