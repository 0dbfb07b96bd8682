/** Order statistics on typed arrays without a full sort. */

/**
 * Returns the median of `values` (the mean of the two middle values for an even
 * count), reordering `values` in place. O(n) expected. NaN for an empty input.
 */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  const upper = Math.floor(n / 2);
  selectInPlace(values, upper);
  if (n % 2 === 1) return values[upper];
  // After selection, the lower middle value is the largest of the left part.
  let lower = -Infinity;
  for (let i = 0; i < upper; i++) if (values[i] > lower) lower = values[i];
  return (lower + values[upper]) / 2;
}

/** Reorders `values` so position `k` contains the value it would have if sorted. O(n) expected. */
export function selectInPlace(values: Float64Array, k: number): void {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const pivot = values[(left + right) >>> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
