/**
 * The sigh engine: scaling, kd-tree, DBSCAN, scoring, explanations and model files.
 * It imports nothing from Node, so it runs wherever JavaScript runs.
 */

export {
  AnomalyModel,
  OrderAnomalyModel,
  DEFAULT_EPS,
  DEFAULT_MIN_SAMPLES,
  DEFAULT_MIN_CLUSTER_SHARE,
} from "./model.js";
export { dissolveSmallClusters } from "./small-clusters.js";
export {
  dbscan,
  kDistances2InRange,
  sequentialKDistances,
  type DbscanOptions,
  type DbscanResult,
  type KDistanceRunner,
} from "./dbscan.js";
export { KdTree, type KdTreeParts } from "./kdtree.js";
export { StandardScaler, type ScalerState } from "./scaler.js";
export { kDistances } from "./kdistance.js";
export { chooseEps, kneeIndex, KNEE_MARGIN, type AutoEps } from "./auto-eps.js";
export { circularMean, circularStd, circularDiff } from "./circular.js";
export { anomalyScore, SCORE_THRESHOLD } from "./score.js";
export { levelOf, HIGH_Z, EXTREME_Z, MAX_Z } from "./explain.js";
export { NOISE_NAME } from "./naming.js";
export { MAX_MAGNITUDE, valueProblem } from "./records.js";
export { MODEL_FORMAT_VERSION } from "./model-file.js";
export { ORDER_FEATURES, ORDER_FEATURE_NAMES, normalizeFeatures, type FeatureSpec } from "./features.js";
export {
  SighError,
  InputError,
  ParameterError,
  UsageError,
  ModelFileError,
  NotFittedError,
  quote,
  type InputLocation,
} from "./errors.js";
export type * from "./types.js";
export { flagQuality, rocAuc, averagePrecision, type FlagQuality } from "./evaluate.js";
