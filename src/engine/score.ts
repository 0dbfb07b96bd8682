/** The anomaly score: one number that both flags and ranks. */

/**
 * Returns `max(distance to the nearest core sample, that sample's k-distance) / eps`.
 *
 * Above 1 exactly when the nearest core sample is farther than eps, which is what
 * DBSCAN calls noise. At or below 1, the nearest core sample's k-distance ranks events
 * inside clusters: a sparse edge of a cluster scores higher than its dense middle, so
 * training rows are ranked too instead of all scoring 0. Continuous in the event.
 *
 * @param dist2 squared distance to the nearest core sample
 * @param density that core sample's k-distance (at most eps)
 */
export function anomalyScore(dist2: number, density: number, eps: number): number {
  const isAnomaly = dist2 > eps * eps;
  const reach = Math.max(dist2, density * density);
  const score = Math.sqrt(reach) / eps;
  // sqrt(eps²) / eps can round either way: keep the flag and the threshold in step.
  if (isAnomaly) return score > 1 ? score : 1 + Number.EPSILON;
  return score < 1 ? score : 1;
}

/** `isAnomaly` is `score > SCORE_THRESHOLD`. */
export const SCORE_THRESHOLD = 1;
