/**
 * Chooses eps from the data: the knee of the sorted k-distance curve, where the
 * distance to the k-th neighbour starts to climb steeply. Points left of the knee sit
 * in dense regions; the steep tail is the sparse few.
 */

import { KdTree } from "./kdtree.js";

/** At most this many rows are sampled for the curve. */
const SAMPLE_ROWS = 8000;
/**
 * eps is this multiple of the knee. At the knee itself the sparsest normal rows fall
 * just outside. On 100k generated orders a margin of 1.25 to 1.5 raised F1 from 0.91
 * to 0.98 (bench/quality.ts).
 */
export const KNEE_MARGIN = 1.5;

export interface AutoEps {
  eps: number;
  /** Description of how the value was found, for the model file and `sigh train`. */
  method: string;
}

/**
 * Returns eps from the knee of the k-distance curve (k = minSamples), found as the
 * point farthest below the chord from the curve's start to its 99th percentile, on
 * up to 8,000 rows taken at an even stride, widened by `KNEE_MARGIN`.
 * O(s·k·log n) for s sampled rows.
 */
export function chooseEps(
  points: Float64Array,
  rows: number,
  dims: number,
  minSamples: number,
  periods?: Float64Array,
  tree: KdTree = new KdTree(points, rows, dims, periods),
): AutoEps {
  const k = Math.min(minSamples, rows);
  const stride = Math.max(1, Math.floor(rows / SAMPLE_ROWS));
  const curve: number[] = [];
  const scratch = new Float64Array(k);
  for (let i = 0; i < rows; i += stride) {
    tree.knnDistances2(points, i * dims, k, scratch);
    curve.push(Math.sqrt(scratch[k - 1]));
  }
  curve.sort((a, b) => a - b);

  const knee = kneeIndex(curve);
  if (!(curve[knee] > 0)) {
    const positive = smallestPositive(curve);
    return {
      eps: positive * KNEE_MARGIN,
      method:
        `${KNEE_MARGIN} × the smallest nonzero ${k}-distance (${positive.toPrecision(4)}), ` +
        `because the knee of the curve over ${curve.length} of ${rows} rows is at 0 (repeated rows)`,
    };
  }
  const eps = curve[knee] * KNEE_MARGIN;
  const percentile = Math.round((100 * knee) / Math.max(1, curve.length - 1));
  const method =
    `${KNEE_MARGIN} × the knee (${curve[knee].toPrecision(4)}, percentile ${percentile}) ` +
    `of the sorted ${k}-distance curve over ${curve.length} of ${rows} rows`;
  return { eps, method };
}

/** Index of the point farthest below the straight line from the first point to the 99th percentile. */
export function kneeIndex(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n < 3) return n - 1;
  const last = Math.max(1, Math.floor(0.99 * (n - 1)));
  const x0 = 0;
  const y0 = sorted[0];
  const dx = last - x0;
  const dy = sorted[last] - y0;
  let best = last;
  let bestGap = 0;
  for (let i = 1; i < last; i++) {
    // Height of the chord above the curve at i, scaled so x and y weigh alike.
    const chord = y0 + (dy * (i - x0)) / dx;
    const gap = (chord - sorted[i]) / (dy || 1);
    if (gap > bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return best;
}

function smallestPositive(values: readonly number[]): number {
  for (const v of values) if (v > 0) return v;
  return 1;
}
