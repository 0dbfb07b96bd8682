/**
 * The recommended action for a scored event, from two thresholds on the anomaly score:
 *
 *   score <= review                -> "allow"
 *   review < score <= throttle     -> "review"
 *   score > throttle               -> "throttle"
 *
 * By default `review` is the model's own threshold (so "review" starts exactly where
 * `isAnomaly` becomes true) and `throttle` is twice that. An operator may set either.
 */

import type { Deviation } from "../engine/types.js";

export type Action = "allow" | "review" | "throttle";

/** Thresholds given by the operator; an absent one follows the loaded model. */
export interface ThresholdOptions {
  review?: number;
  throttle?: number;
}

export interface Thresholds {
  review: number;
  throttle: number;
}

/** How many times the review threshold the default throttle threshold is. */
export const DEFAULT_THROTTLE_FACTOR = 2;

/**
 * Resolves the thresholds for a model whose `isAnomaly` threshold is `modelThreshold`.
 * Throws a `RangeError` when the throttle threshold ends up below the review threshold,
 * because every throttled event would then skip review.
 */
export function resolveThresholds(modelThreshold: number, options: ThresholdOptions): Thresholds {
  const review = options.review ?? modelThreshold;
  const throttle = options.throttle ?? defaultThrottle(review);
  if (!(throttle >= review)) {
    throw new RangeError(
      `the throttle threshold (${throttle}) must not be below the review threshold (${review})`,
    );
  }
  return { review, throttle };
}

/** Twice the review threshold; for a threshold of 0 or less, one score unit above it. */
function defaultThrottle(review: number): number {
  return review > 0 ? review * DEFAULT_THROTTLE_FACTOR : review + 1;
}

/** Chooses the action for one score. */
export function chooseAction(score: number, thresholds: Thresholds): Action {
  if (score > thresholds.throttle) return "throttle";
  if (score > thresholds.review) return "review";
  return "allow";
}

/** One deviating feature in an alert, without the fields an on-call reader does not need. */
export interface AlertDeviation {
  feature: string;
  value: number;
  normal: number;
  diffPct: number | null;
  z: number;
  level: Deviation["level"];
}

/**
 * Returns the `count` features that contribute most to the distance (largest `share`
 * first), for alert lines and webhook payloads.
 */
export function topDeviations(deviations: readonly Deviation[], count = 3): AlertDeviation[] {
  const sorted = [...deviations].sort((a, b) => b.share - a.share);
  return sorted.slice(0, count).map((d) => ({
    feature: d.feature,
    value: d.value,
    normal: d.normal,
    diffPct: d.diffPct,
    z: d.z,
    level: d.level,
  }));
}
