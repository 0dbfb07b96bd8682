/**
 * Feature scaling as scikit-learn's StandardScaler does it (version 1.2): subtract the
 * mean, divide by the population standard deviation. A constant column keeps its mean
 * and scales to 0. The variance is computed in two passes with a correction term, so
 * values near 1.5e9 (epoch seconds) scale the same as the same data shifted to near 0.
 *
 * A cyclic feature (period P, such as an hour of day with P = 24) is instead wrapped
 * into [0, P) and divided by its circular standard deviation, so distances along it
 * are taken the short way round; its `mean` is the circular mean.
 */

import type { ScaleMode } from "./types.js";
import { circularMean, circularStd } from "./circular.js";

const FLOAT64_EPS = 2.220446049250313e-16;

export interface ScalerState {
  mode: ScaleMode;
  /** Mean per feature in raw units (circular mean for cyclic features). */
  mean: number[];
  /** Divisor per feature in raw units; 1 for a constant feature or mode "none". */
  scale: number[];
  /** Period per feature in raw units, 0 where the feature is not cyclic. */
  periods: number[];
}

export class StandardScaler {
  readonly mode: ScaleMode;
  readonly dims: number;
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  readonly periods: Float64Array;
  /** Period per feature in scaled units, 0 where the feature is not cyclic. */
  readonly scaledPeriods: Float64Array;

  constructor(state: ScalerState) {
    this.mode = state.mode;
    this.dims = state.mean.length;
    this.mean = Float64Array.from(state.mean);
    this.scale = Float64Array.from(state.scale);
    this.periods = Float64Array.from(state.periods);
    this.scaledPeriods = this.periods.map((p, k) => (p > 0 ? p / this.scale[k] : 0));
  }

  /**
   * Learns means and scales from `rows` rows of `dims` values, row-major. O(n·d).
   * An empty input gives mean 0 and scale 1.
   */
  static fit(
    values: Float64Array,
    rows: number,
    dims: number,
    mode: ScaleMode,
    periods: ArrayLike<number> = new Float64Array(dims),
  ): StandardScaler {
    const mean: number[] = [];
    const scale: number[] = [];
    for (let k = 0; k < dims; k++) {
      const period = periods[k] ?? 0;
      if (period > 0) {
        const column = extractColumn(values, rows, dims, k);
        mean.push(circularMean(column, period));
        const spread = circularStd(column, period);
        scale.push(mode === "standard" && spread > 0 ? spread : 1);
        continue;
      }
      const { mean: m, variance } = meanAndVariance(values, rows, dims, k);
      if (mode === "none") {
        mean.push(0);
        scale.push(1);
        continue;
      }
      mean.push(m);
      scale.push(isConstant(variance, m, rows) ? 1 : Math.sqrt(variance));
    }
    return new StandardScaler({ mode, mean, scale, periods: Array.from(periods) });
  }

  /** Scales one row from `src[srcOffset..]` into `dst[dstOffset..]`. */
  transformRow(src: ArrayLike<number>, srcOffset: number, dst: Float64Array, dstOffset: number): void {
    for (let k = 0; k < this.dims; k++) {
      const x = src[srcOffset + k];
      const period = this.periods[k];
      if (period > 0) {
        dst[dstOffset + k] = wrap(x, period) / this.scale[k];
      } else if (this.mode === "none") {
        dst[dstOffset + k] = x;
      } else {
        dst[dstOffset + k] = (x - this.mean[k]) / this.scale[k];
      }
    }
  }

  /** Scales `rows` rows into a new array. O(n·d). */
  transform(values: Float64Array, rows: number): Float64Array {
    const out = new Float64Array(rows * this.dims);
    for (let i = 0; i < rows; i++) this.transformRow(values, i * this.dims, out, i * this.dims);
    return out;
  }

  toJSON(): ScalerState {
    return {
      mode: this.mode,
      mean: Array.from(this.mean),
      scale: Array.from(this.scale),
      periods: Array.from(this.periods),
    };
  }
}

/** Wraps `x` into [0, period). */
export function wrap(x: number, period: number): number {
  const r = x % period;
  return r < 0 ? r + period : r;
}

function extractColumn(values: Float64Array, rows: number, dims: number, k: number): Float64Array {
  const column = new Float64Array(rows);
  for (let i = 0; i < rows; i++) column[i] = values[i * dims + k];
  return column;
}

/** Mean and population variance of column k, as scikit-learn's incremental formula gives them. */
function meanAndVariance(
  values: Float64Array,
  rows: number,
  dims: number,
  k: number,
): { mean: number; variance: number } {
  if (rows === 0) return { mean: 0, variance: 0 };
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += values[i * dims + k];
  const mean = sum / rows;
  let correction = 0;
  let squares = 0;
  for (let i = 0; i < rows; i++) {
    const diff = values[i * dims + k] - mean;
    correction += diff;
    squares += diff * diff;
  }
  const variance = (squares - (correction * correction) / rows) / rows;
  return { mean, variance: Math.max(0, variance) };
}

/** scikit-learn's test for a feature that is constant up to rounding. */
function isConstant(variance: number, mean: number, rows: number): boolean {
  const bound = rows * FLOAT64_EPS * variance + (rows * mean * FLOAT64_EPS) ** 2;
  return variance <= bound;
}
