/** Deterministic sampling of row indexes, so the same data and seed give the same picture. */

import { Random } from "../data/random.js";

/** Returns a seeded generator of floats in [0, 1): the data layer's `Random`. */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/**
 * Picks `count` of the indexes in `pool` without repetition (a partial Fisher-Yates shuffle
 * of a copy) and returns them in ascending order. Returns a sorted copy of the whole pool
 * when `count` is at least its length. O(pool length).
 */
export function sampleIndexes(pool: Uint32Array, count: number, random: () => number): Uint32Array {
  const copy = Uint32Array.from(pool);
  const k = Math.max(0, Math.min(count, copy.length));
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    const swap = copy[i];
    copy[i] = copy[j];
    copy[j] = swap;
  }
  return copy.subarray(0, k).sort();
}

/** Result of `samplePoints`. */
export interface PointSample {
  /** Drawn row indexes: normal rows first, then anomalies, each part ascending. */
  indexes: Uint32Array;
  /** True when some rows were left out. */
  sampled: boolean;
  normalDrawn: number;
  anomaliesDrawn: number;
}

/**
 * Chooses at most `maxPoints` rows for a scatter panel. Anomalies are kept first (up to a
 * quarter of `maxPoints` when normal rows fill the rest), so rare anomalies stay visible
 * without hiding the normal rows.
 * Anomalies come last in the result so that they are drawn on top.
 */
export function samplePoints(
  isAnomaly: Uint8Array,
  rows: number,
  maxPoints: number,
  seed: number,
): PointSample {
  const anomalies: number[] = [];
  const normals: number[] = [];
  for (let i = 0; i < rows; i++) (isAnomaly[i] ? anomalies : normals).push(i);

  const random = seededRandom(seed);
  const anomalyBudget = Math.min(
    anomalies.length,
    Math.max(Math.floor(maxPoints / 4), maxPoints - normals.length),
  );
  const normalBudget = Math.min(normals.length, maxPoints - anomalyBudget);
  const pickedNormals = sampleIndexes(Uint32Array.from(normals), normalBudget, random);
  const pickedAnomalies = sampleIndexes(Uint32Array.from(anomalies), anomalyBudget, random);

  const indexes = new Uint32Array(pickedNormals.length + pickedAnomalies.length);
  indexes.set(pickedNormals, 0);
  indexes.set(pickedAnomalies, pickedNormals.length);
  return {
    indexes,
    sampled: indexes.length < rows,
    normalDrawn: pickedNormals.length,
    anomaliesDrawn: pickedAnomalies.length,
  };
}
