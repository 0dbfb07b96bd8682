/**
 * Principal component analysis of a small number of columns: covariance matrix, then the
 * eigen decomposition of that symmetric d×d matrix by cyclic Jacobi rotations.
 */

/** Eigenvalues (descending) and unit eigenvectors of a symmetric matrix. */
export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Row-major d×d: row k is the eigenvector of `values[k]`. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/**
 * Decomposes the symmetric row-major `d`×`d` matrix `matrix` (left unchanged) with the
 * cyclic Jacobi method. Cost O(d³) per sweep; a few sweeps suffice for d below 50.
 * Eigenvectors have their largest-magnitude component positive, so the result is
 * the same on every run.
 *
 * Example: symmetricEigen([2, 1, 1, 2], 2) returns values [3, 1] and vectors
 * [0.707, 0.707, 0.707, -0.707] (rounded).
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): Eigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    if (offDiagonalNorm(a, d) < 1e-22 * (1 + diagonalNorm(a, d))) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) rotate(a, v, d, p, q);
    }
  }
  return sortEigen(a, v, d);
}

function offDiagonalNorm(a: Float64Array, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) if (i !== j) sum += a[i * d + j] ** 2;
  }
  return sum;
}

function diagonalNorm(a: Float64Array, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i++) sum += a[i * d + i] ** 2;
  return sum;
}

/** Zeroes a[p][q] with one Jacobi rotation and accumulates it into the columns of v. */
function rotate(a: Float64Array, v: Float64Array, d: number, p: number, q: number): void {
  const apq = a[p * d + q];
  if (apq === 0) return;
  const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;

  for (let k = 0; k < d; k++) {
    const akp = a[k * d + p];
    const akq = a[k * d + q];
    a[k * d + p] = c * akp - s * akq;
    a[k * d + q] = s * akp + c * akq;
  }
  for (let k = 0; k < d; k++) {
    const apk = a[p * d + k];
    const aqk = a[q * d + k];
    a[p * d + k] = c * apk - s * aqk;
    a[q * d + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < d; k++) {
    const vkp = v[k * d + p];
    const vkq = v[k * d + q];
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
}

/** Orders eigenpairs by value, descending, and fixes each vector's sign. */
function sortEigen(a: Float64Array, v: Float64Array, d: number): Eigen {
  const order = Array.from({ length: d }, (_, i) => i);
  order.sort((i, j) => a[j * d + j] - a[i * d + i] || i - j);

  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((col, k) => {
    values[k] = a[col * d + col];
    let largest = 0;
    for (let i = 0; i < d; i++) {
      const x = v[i * d + col];
      if (Math.abs(x) > Math.abs(largest)) largest = x;
    }
    const sign = largest < 0 ? -1 : 1;
    for (let i = 0; i < d; i++) vectors[k * d + i] = sign * v[i * d + col];
  });
  return { values, vectors };
}

/** Result of `pca`. */
export interface Projection {
  /** Row-major rows×components: each row's coordinates on the leading components. */
  coordinates: Float64Array;
  components: number;
  /** Share of the total variance on each component, 0..1. */
  varianceShare: Float64Array;
}

/**
 * Projects the row-major `rows`×`d` matrix `values` on its `components` leading principal
 * components, after centring each column. Cost O(rows·d² + d³).
 * With one row or constant columns the total variance is 0, and every share is 0.
 */
export function pca(values: Float64Array, rows: number, d: number, components = 2): Projection {
  const m = Math.min(components, d);
  const means = columnMeans(values, rows, d);
  const covariance = covarianceMatrix(values, rows, d, means);
  const { values: eigenvalues, vectors } = symmetricEigen(covariance, d);

  let total = 0;
  for (let k = 0; k < d; k++) total += Math.max(0, eigenvalues[k]);
  const varianceShare = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    varianceShare[k] = total > 0 ? Math.max(0, eigenvalues[k]) / total : 0;
  }

  const coordinates = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < m; k++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (values[r * d + j] - means[j]) * vectors[k * d + j];
      coordinates[r * m + k] = dot;
    }
  }
  return { coordinates, components: m, varianceShare };
}

function columnMeans(values: Float64Array, rows: number, d: number): Float64Array {
  const means = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) means[j] += values[r * d + j];
  }
  for (let j = 0; j < d; j++) means[j] = rows > 0 ? means[j] / rows : 0;
  return means;
}

/** Population covariance (divides by rows), row-major d×d. */
function covarianceMatrix(
  values: Float64Array,
  rows: number,
  d: number,
  means: Float64Array,
): Float64Array {
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) centred[j] = values[r * d + j] - means[j];
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) cov[i * d + j] += centred[i] * centred[j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const c = rows > 0 ? cov[i * d + j] / rows : 0;
      cov[i * d + j] = c;
      cov[j * d + i] = c;
    }
  }
  return cov;
}
