/**
 * Chooses the feature pairs to draw for data other than the order demo: the pairs whose
 * features best separate anomalies from normal rows.
 */

/**
 * Computes, per column of the row-major `rows`×`d` matrix `scaled`, Cohen's d between
 * anomalies and normal rows: |mean difference| / sqrt of the mean of the two population
 * variances. A column is 0 when either group is empty or both variances are 0 (and the
 * means are equal). O(rows·d).
 */
export function separationByFeature(
  scaled: Float64Array,
  rows: number,
  d: number,
  isAnomaly: Uint8Array,
): Float64Array {
  const sums = [new Float64Array(d), new Float64Array(d)];
  const squares = [new Float64Array(d), new Float64Array(d)];
  const counts = [0, 0];
  for (let r = 0; r < rows; r++) {
    const g = isAnomaly[r] ? 1 : 0;
    counts[g]++;
    for (let j = 0; j < d; j++) {
      const x = scaled[r * d + j];
      sums[g][j] += x;
      squares[g][j] += x * x;
    }
  }

  const separation = new Float64Array(d);
  if (counts[0] === 0 || counts[1] === 0) return separation;
  for (let j = 0; j < d; j++) {
    const means = [sums[0][j] / counts[0], sums[1][j] / counts[1]];
    const variances = [0, 1].map((g) =>
      Math.max(0, squares[g][j] / counts[g] - means[g] * means[g]),
    );
    const spread = Math.sqrt((variances[0] + variances[1]) / 2);
    const gap = Math.abs(means[1] - means[0]);
    if (spread > 0) {
      separation[j] = gap / spread;
    } else {
      // Both groups are constant: any gap separates them perfectly.
      separation[j] = gap > 0 ? Number.MAX_VALUE : 0;
    }
  }
  return separation;
}

/**
 * Returns up to `count` pairs [i, j] (i < j) ranked by the sum of their features'
 * separation, ties broken by feature order. With fewer than 2 features there is no pair.
 */
export function bestPairs(separation: Float64Array, count: number): [number, number][] {
  const pairs: { pair: [number, number]; value: number }[] = [];
  for (let i = 0; i < separation.length; i++) {
    for (let j = i + 1; j < separation.length; j++) {
      pairs.push({ pair: [i, j], value: Math.min(Number.MAX_VALUE, separation[i] + separation[j]) });
    }
  }
  pairs.sort((a, b) => b.value - a.value || a.pair[0] - b.pair[0] || a.pair[1] - b.pair[1]);
  return pairs.slice(0, count).map((p) => p.pair);
}
