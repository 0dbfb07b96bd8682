/** The k-distance curve that shows how to choose eps. */

import { ParameterError } from "./errors.js";
import { KdTree } from "./kdtree.js";

/**
 * Returns each point's distance to its k-th nearest neighbour, the point itself
 * counted as the first, sorted ascending. With k = minSamples, a point is a core
 * sample exactly when its k-distance is at most eps, so the curve's knee is a natural
 * eps. O(n·k·log n).
 *
 * @param points row-major, `rows * dims` values (already scaled)
 * @param periods optional period per axis for wrap-around features
 * @throws ParameterError when k is not an integer from 1 to `rows`
 * @example kDistances(new Float64Array([0, 1, 3]), 3, 1, 2) // Float64Array [1, 1, 2]
 */
export function kDistances(
  points: Float64Array,
  rows: number,
  dims: number,
  k: number,
  periods?: Float64Array,
): Float64Array {
  if (!(Number.isInteger(k) && k >= 1 && k <= Math.max(1, rows))) {
    throw new ParameterError("k", `k must be an integer from 1 to the row count ${rows}, received ${k}`);
  }
  const tree = new KdTree(points, rows, dims, periods);
  const out = new Float64Array(rows);
  const scratch = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    tree.knnDistances2(points, i * dims, k, scratch);
    out[i] = Math.sqrt(scratch[k - 1]);
  }
  return out.sort();
}
