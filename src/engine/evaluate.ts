/** Measures of detection quality against ground truth, for demos and benchmarks. */

export interface FlagQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Share of flags that are real anomalies; NaN when nothing was flagged. */
  precision: number;
  /** Share of real anomalies that were flagged; NaN when there are none. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0, NaN when either is NaN. */
  f1: number;
}

/**
 * Compares flags (1 = flagged) with truth (1 = anomaly), row by row. O(n).
 *
 * @throws RangeError when the two have different lengths
 */
export function flagQuality(flags: ArrayLike<number | boolean>, truth: ArrayLike<number | boolean>): FlagQuality {
  if (flags.length !== truth.length) {
    throw new RangeError(`flags has ${flags.length} rows but truth has ${truth.length}`);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < truth.length; i++) {
    const flagged = Boolean(flags[i]);
    const actual = Boolean(truth[i]);
    if (flagged && actual) tp++;
    else if (flagged) fp++;
    else if (actual) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : NaN;
  const recall = tp + fn > 0 ? tp / (tp + fn) : NaN;
  let f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  if (Number.isNaN(precision) || Number.isNaN(recall)) f1 = NaN;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

/**
 * Returns the area under the ROC curve of `scores` (higher = more anomalous) against
 * `truth`: the chance that a random anomaly outscores a random normal row, ties
 * counting half. O(n log n). NaN when either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, truth: ArrayLike<number | boolean>): number {
  const order = rankOrder(scores);
  let positives = 0;
  let rankSum = 0;
  // Walk groups of tied scores, giving each member the group's mean rank (1-based).
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    const meanRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (truth[order[i]]) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Returns the average precision of `scores` against `truth`: the mean, over
 * anomalies, of the precision among rows scoring at least as high. Tied scores are
 * taken as one step, as scikit-learn's average_precision_score does. O(n log n).
 */
export function averagePrecision(scores: ArrayLike<number>, truth: ArrayLike<number | boolean>): number {
  const order = rankOrder(scores).reverse();
  let total = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i]) total++;
  if (total === 0) return NaN;
  let seen = 0;
  let hits = 0;
  let sum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    let groupHits = 0;
    for (let i = start; i < end; i++) if (truth[order[i]]) groupHits++;
    seen += end - start;
    hits += groupHits;
    sum += (groupHits / total) * (hits / seen);
    start = end;
  }
  return sum;
}

function rankOrder(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[a] - scores[b]);
}
