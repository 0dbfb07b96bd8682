import assert from "node:assert/strict";
import { test } from "node:test";
import { pca, symmetricEigen } from "../src/report/pca.js";
import { seededRandom } from "../src/report/sample.js";

const TOLERANCE = 1e-9;

function close(actual: number, expected: number, what: string, tolerance = TOLERANCE): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected}, received ${actual} (tolerance ${tolerance})`,
  );
}

test("symmetricEigen 2x2 exact values", () => {
  // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, -1)/√2.
  const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
  close(values[0], 3, "largest eigenvalue");
  close(values[1], 1, "smallest eigenvalue");
  close(vectors[0], Math.SQRT1_2, "first vector x");
  close(vectors[1], Math.SQRT1_2, "first vector y");
  close(Math.abs(vectors[2]), Math.SQRT1_2, "second vector x");
  close(Math.abs(vectors[3]), Math.SQRT1_2, "second vector y");
});

test("symmetricEigen satisfies A v = λ v", () => {
  const d = 6;
  const random = seededRandom(7);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const x = random() * 2 - 1;
      a[i * d + j] = x;
      a[j * d + i] = x;
    }
  }
  const { values, vectors } = symmetricEigen(a, d);
  for (let k = 0; k < d; k++) {
    if (k > 0) assert.ok(values[k] <= values[k - 1], `eigenvalues not descending at ${k}`);
    let norm = 0;
    for (let i = 0; i < d; i++) {
      let av = 0;
      for (let j = 0; j < d; j++) av += a[i * d + j] * vectors[k * d + j];
      close(av, values[k] * vectors[k * d + i], `(A v)[${i}] for eigenpair ${k}`, 1e-9);
      norm += vectors[k * d + i] ** 2;
    }
    close(norm, 1, `norm of eigenvector ${k}`);
  }
});

test("symmetricEigen leaves its input unchanged", () => {
  const input = [4, 1, 0, 1, 3, 1, 0, 1, 2];
  const copy = input.slice();
  symmetricEigen(input, 3);
  assert.deepEqual(input, copy);
});

test("pca of points on a line", () => {
  // Points on y = 2x: all variance lies on the first component.
  const rows = 50;
  const values = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    values[2 * i] = i;
    values[2 * i + 1] = 2 * i;
  }
  const fit = pca(values, rows, 2, 2);
  close(fit.varianceShare[0], 1, "share of component 1");
  close(fit.varianceShare[1], 0, "share of component 2");
  for (let i = 0; i < rows; i++) close(fit.coordinates[2 * i + 1], 0, `PC2 of row ${i}`, 1e-9);
  // PC1 is the distance along the line from the centre, so consecutive rows are √5 apart.
  close(fit.coordinates[2] - fit.coordinates[0], Math.sqrt(5), "PC1 step");
});

test("pca keeps the total variance", () => {
  const rows = 200;
  const d = 3;
  const random = seededRandom(3);
  const values = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const t = random();
    values[i * d] = t;
    values[i * d + 1] = t * 0.5 + random() * 0.1;
    values[i * d + 2] = random();
  }
  const fit = pca(values, rows, d, 3);
  let total = 0;
  for (let k = 0; k < 3; k++) total += fit.varianceShare[k];
  close(total, 1, "sum of variance shares");
  assert.ok(fit.varianceShare[0] >= fit.varianceShare[1], "shares not descending");
});

test("pca of constant columns", () => {
  const fit = pca(new Float64Array([5, 5, 5, 5, 5, 5]), 3, 2, 2);
  assert.deepEqual(Array.from(fit.varianceShare), [0, 0]);
  assert.deepEqual(Array.from(fit.coordinates), [0, 0, 0, 0, 0, 0]);
});
