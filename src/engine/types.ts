/** The public shapes of model options, results and profiles. */

import type { KDistanceRunner } from "./dbscan.js";
import type { FeatureSpec } from "./features.js";

/**
 * A record to score or train on: an object with feature values by column name, such
 * as a typed order. Extra fields are ignored.
 */
export type EventRecord = object;

/** How far a feature is from normal: within 2 standard units, 2 to 3, beyond 3. */
export type DeviationLevel = "NORMAL" | "HIGH" | "EXTREME";

/** Scaling applied to features before distances are taken. */
export type ScaleMode = "standard" | "none";

export interface ModelOptions {
  /** Neighbourhood radius in scaled units, inclusive; or "auto" to choose it from the data. Default 0.8. */
  eps?: number | "auto";
  /** Points within `eps` (the point itself included) that make a core sample. Default 10. */
  minSamples?: number;
  /** Feature names or specs, in model order. Default: the six Bob's Burgers order features. */
  features?: readonly (string | FeatureSpec)[];
  /** Default "standard": subtract the mean, divide by the population standard deviation. */
  scale?: ScaleMode;
  /**
   * Clusters holding less than this share of the training rows are dissolved into
   * noise, because repeated abuse forms small dense clusters of its own. Default
   * 0.005 when eps is "auto" and 0 when eps is a number, which keeps a given eps
   * plain DBSCAN.
   */
  minClusterShare?: number;
}

/** Progress of a long call, reported through an `onProgress` callback. */
export interface Progress {
  /** Name of the current phase, such as "scale", "core", "connect", "border". */
  phase: string;
  done: number;
  total: number;
}

export interface FitOptions {
  onProgress?: (progress: Progress) => void;
  /**
   * Runs the k-distance search, the largest part of a fit. The default runs it on
   * the calling thread; the Node entry point `createParallelRunner` spreads it over
   * worker threads.
   */
  kDistanceRunner?: KDistanceRunner;
}

/** One feature of an explanation. */
export interface Deviation {
  feature: string;
  value: number;
  /** The reference value: the centre of the nearest normal cluster for this feature. */
  normal: number;
  /** Percentage difference from `normal`, or null when `normal` is 0 (see `diffPctReason`). */
  diffPct: number | null;
  /** Reason `diffPct` is null; absent otherwise. */
  diffPctReason?: string;
  /** Signed difference in standard units of the reference spread. */
  z: number;
  level: DeviationLevel;
  /** Share of the squared scaled distance to the nearest core sample due to this feature, 0..1. */
  share: number;
}

/** Result of `score()` for one record. */
export interface ScoreResult {
  isAnomaly: boolean;
  /** Cluster of the nearest core sample when within `eps`, else -1. */
  cluster: number;
  clusterName: string;
  /** Cluster of the nearest core sample, whatever the distance. */
  nearestCluster: number;
  nearestClusterName: string;
  /** Euclidean distance to the nearest core sample, in scaled units. */
  distance: number;
  /** Continuous anomaly score: higher is more anomalous; `isAnomaly` is `score > threshold`. */
  score: number;
  deviations: Deviation[];
}

/** Result of `scoreBatch()`: one entry per row, in input order, in typed arrays. */
export interface BatchScores {
  count: number;
  /** 1 for an anomaly, 0 otherwise. */
  isAnomaly: Uint8Array;
  cluster: Int32Array;
  nearestCluster: Int32Array;
  distance: Float64Array;
  score: Float64Array;
}

/** Per-feature description of one cluster, in raw (unscaled) units. */
export interface FeatureProfile {
  feature: string;
  mean: number;
  /** Median; the circular mean for cyclic features. The reference value of explanations. */
  median: number;
  /** Population standard deviation (circular for cyclic features). */
  std: number;
  /**
   * Robust spread used for z values: 1.4826 × the median absolute deviation, or `std`
   * when that is 0. 0 only for a feature constant within the group.
   */
  spread: number;
  min: number;
  max: number;
}

export interface ClusterProfile {
  /** Cluster number as DBSCAN gave it; -1 is the noise profile. */
  id: number;
  name: string;
  size: number;
  coreCount: number;
  share: number;
  features: FeatureProfile[];
}

export interface TrainingSummary {
  rows: number;
  clusters: number;
  noise: number;
  noiseShare: number;
  coreSamples: number;
  eps: number;
  /** Origin of `eps`: "given", or a description of the automatic choice. */
  epsMethod: string;
  minSamples: number;
  minClusterShare: number;
  /** Clusters dissolved into noise for holding less than `minClusterShare` of the rows. */
  dissolvedClusters: number;
  dissolvedRows: number;
  fitMillis: number;
  /** ISO 8601 time at which fitting finished. */
  trainedAt: string;
}
