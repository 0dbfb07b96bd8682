/** The inputs that the figure and the report read. */

import type {
  BatchScores,
  ClusterProfile,
  Deviation,
  ScaleMode,
  TrainingSummary,
} from "../engine/types.js";
import type { FeatureSpec } from "../engine/features.js";

/**
 * The part of a fitted `AnomalyModel` that the drawing code uses. `AnomalyModel` satisfies
 * it, and tests can pass a small stand-in.
 */
export interface ReportModel {
  readonly features: readonly FeatureSpec[];
  readonly featureNames: readonly string[];
  readonly eps: number;
  readonly minSamples: number;
  readonly scale: ScaleMode;
  readonly threshold: number;
  readonly modelId: string;
  readonly clusters: readonly ClusterProfile[];
  readonly summary: TrainingSummary;
  /** Periods of cyclic features in scaled units (0 for others), for neighbour distances. */
  readonly scaler?: { readonly scaledPeriods: Float64Array };
  clusterName(id: number): string;
  scoreMatrix(values: Float64Array, rows: number): BatchScores;
  explain(values: Float64Array | readonly number[]): Deviation[];
  transform(values: Float64Array, rows: number): Float64Array;
}

/**
 * Rows to draw: `values` is row-major, `rows` × `features.length`, with columns in the
 * order of `features`, which must be the model's feature names in model order.
 */
export interface FigureInput {
  model: ReportModel;
  values: Float64Array;
  rows: number;
  features: readonly string[];
  /** One label per row for tooltips and tables; row numbers (from 1) when absent. */
  ids?: readonly string[];
  /** Seed of the sampling of large inputs. Default 1. */
  seed?: number;
  /** Most points drawn per scatter panel; larger inputs are sampled. Default 4000. */
  maxPoints?: number;
}
