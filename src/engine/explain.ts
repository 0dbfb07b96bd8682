/**
 * Per-feature explanations: how far each value is from the nearest normal cluster, in
 * that cluster's own units, and how much of the distance each feature accounts for.
 */

import { circularDiff } from "./circular.js";
import type { FeatureSpec } from "./features.js";
import type { ClusterProfile, Deviation, DeviationLevel } from "./types.js";

/** |z| at or above this is HIGH. */
export const HIGH_Z = 2;
/** |z| at or above this is EXTREME. */
export const EXTREME_Z = 3;
/**
 * Largest |z| reported. A value off a feature that never varied in its cluster or in
 * training has no finite z, so it gets this one.
 */
export const MAX_Z = 1000;
/**
 * A cluster's spread counts as at least this share of the spread of all rows, so a
 * very tight cluster (one customer's fixed habit) does not turn small differences into
 * z values in the hundreds.
 */
export const MIN_SPREAD_SHARE = 0.1;

export interface ExplainInput {
  features: readonly FeatureSpec[];
  /** Raw values of the event, in feature order. */
  raw: ArrayLike<number>;
  rawOffset: number;
  /** Reference cluster: the cluster of the nearest core sample. */
  reference: ClusterProfile;
  /** All training rows, for spreads the reference cluster lacks. */
  overall: ClusterProfile;
  /** Squared scaled difference per feature to the nearest core sample. */
  scaledDiff2: ArrayLike<number>;
}

/** Returns one deviation per feature, in feature order. O(d). */
export function explain(input: ExplainInput): Deviation[] {
  const { features, raw, rawOffset, reference, overall, scaledDiff2 } = input;
  let total = 0;
  for (let k = 0; k < features.length; k++) total += scaledDiff2[k];

  return features.map((spec, k) => {
    const value = raw[rawOffset + k];
    const normal = reference.features[k].median;
    const period = spec.period ?? 0;
    const diff = period > 0 ? circularDiff(value, normal, period) : value - normal;
    const spread = Math.max(reference.features[k].spread, MIN_SPREAD_SHARE * overall.features[k].spread);
    const z = zValue(diff, spread);
    const deviation: Deviation = {
      feature: spec.name,
      value,
      normal,
      diffPct: null,
      z,
      level: levelOf(z),
      share: total > 0 ? scaledDiff2[k] / total : 0,
    };
    const pct = percentDifference(diff, normal, spec);
    if (typeof pct === "number") deviation.diffPct = pct;
    else deviation.diffPctReason = pct.reason;
    return deviation;
  });
}

/** Returns the level of a z value: NORMAL below 2, HIGH below 3, EXTREME from 3. */
export function levelOf(z: number): DeviationLevel {
  const size = Math.abs(z);
  if (size >= EXTREME_Z) return "EXTREME";
  if (size >= HIGH_Z) return "HIGH";
  return "NORMAL";
}

function zValue(diff: number, spread: number): number {
  if (diff === 0) return 0;
  if (!(spread > 0)) return Math.sign(diff) * MAX_Z;
  const z = diff / spread;
  return Math.max(-MAX_Z, Math.min(MAX_Z, z));
}

/**
 * Returns 100 · diff / |normal|: 0 against 120 is -100, -25 against -50 is +50. There
 * is no percentage of a 0 reference, nor of a cyclic feature, whose zero is arbitrary.
 */
function percentDifference(
  diff: number,
  normal: number,
  spec: FeatureSpec,
): number | { reason: string } {
  if (spec.period) {
    const unit = spec.unit ? ` ${spec.unit}` : "";
    return { reason: `cyclic: ${diff >= 0 ? "+" : ""}${round(diff)}${unit} the short way round` };
  }
  if (normal === 0) return { reason: "the normal value is 0, so a percentage is undefined" };
  const pct = (100 * diff) / Math.abs(normal);
  if (!Number.isFinite(pct)) return { reason: "the percentage is too large to represent" };
  return pct;
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}
