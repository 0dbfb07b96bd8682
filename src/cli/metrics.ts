/** Precision, recall and F1 of anomaly flags against known labels. */

export interface FlagQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Share of flagged rows that are labelled anomalies; NaN when nothing is flagged. */
  precision: number;
  /** Share of labelled anomalies that are flagged; NaN when there are none. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0, NaN when either is NaN. */
  f1: number;
}

/** Compares `flags` with `truth` (both 1 for anomaly, 0 otherwise), row by row. */
export function flagQuality(
  flags: ArrayLike<number>,
  truth: ArrayLike<number>,
): FlagQuality {
  if (flags.length !== truth.length) {
    throw new RangeError(`flags has ${flags.length} rows but truth has ${truth.length}`);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] && truth[i]) tp++;
    else if (flags[i]) fp++;
    else if (truth[i]) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : NaN;
  const recall = tp + fn > 0 ? tp / (tp + fn) : NaN;
  let f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  if (Number.isNaN(precision) || Number.isNaN(recall)) f1 = NaN;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}
