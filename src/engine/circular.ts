/** Statistics of cyclic values such as hours of day, which wrap at their period. */

/**
 * Returns the circular mean of `values` in [0, period): the angle of the mean unit
 * vector. 23 and 1 with period 24 give 0, not 12. Returns 0 for an empty input or
 * when the vectors cancel out exactly.
 */
export function circularMean(values: ArrayLike<number>, period: number): number {
  const { sin, cos } = meanVector(values, period);
  if (sin === 0 && cos === 0) return 0;
  const angle = Math.atan2(sin, cos);
  let mean = (angle / (2 * Math.PI)) * period;
  if (mean < 0) mean += period;
  // A tiny negative angle plus the period can round up to the period itself.
  return mean >= period ? 0 : mean;
}

/**
 * Returns the circular standard deviation in the units of `period`:
 * `sqrt(-2 ln R) · period / 2π`, where R is the length of the mean unit vector. For
 * tightly grouped values it approaches the ordinary standard deviation.
 */
export function circularStd(values: ArrayLike<number>, period: number): number {
  const { sin, cos } = meanVector(values, period);
  const length = Math.min(1, Math.hypot(sin, cos));
  if (length <= 0) return period / 2;
  return (Math.sqrt(-2 * Math.log(length)) * period) / (2 * Math.PI);
}

/** Returns the signed difference `a - b` taken the short way round, in [-period/2, period/2]. */
export function circularDiff(a: number, b: number, period: number): number {
  let diff = (a - b) % period;
  if (diff > period / 2) diff -= period;
  else if (diff < -period / 2) diff += period;
  return diff;
}

function meanVector(values: ArrayLike<number>, period: number): { sin: number; cos: number } {
  const n = values.length;
  if (n === 0) return { sin: 0, cos: 0 };
  let sin = 0;
  let cos = 0;
  const k = (2 * Math.PI) / period;
  for (let i = 0; i < n; i++) {
    sin += Math.sin(values[i] * k);
    cos += Math.cos(values[i] * k);
  }
  return { sin: sin / n, cos: cos / n };
}
