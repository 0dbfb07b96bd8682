/**
 * Scores the rows once and derives what every panel needs: each row's group (cluster name
 * or anomaly), the legend's colours, the drawn sample and the anomalies ranked by score.
 */

import type { BatchScores, Deviation } from "../engine/types.js";
import type { FeatureSpec } from "../engine/features.js";
import { samplePoints, type PointSample } from "./sample.js";
import { visibleText } from "./escape.js";
import type { FigureInput, ReportModel } from "./types.js";

/** Clusters shown by name in legends; smaller ones share the "other clusters" entry. */
export const MAX_NAMED_CLUSTERS = 8;

/** Colour of anomalies in every panel. */
export const ANOMALY_COLOR = "#d62728";
const OTHER_COLOR = "#9a9a9a";
/** Tableau 10 without its red and pink, so no cluster looks like an anomaly. */
const CLUSTER_COLORS = [
  "#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f", "#a0cbe8",
];

export interface Analysis {
  model: ReportModel;
  values: Float64Array;
  rows: number;
  features: readonly FeatureSpec[];
  scores: BatchScores;
  /** Per row: index into `groups`. */
  groupOf: Uint16Array;
  /** Legend entries in legend order: named clusters by size, "other clusters", anomalies. */
  groups: { name: string; color: string; count: number }[];
  anomalyName: string;
  anomalyCount: number;
  /** Anomalies by score, highest first. */
  anomalyOrder: Uint32Array;
  sample: PointSample;
  id(row: number): string;
}

/** Checks the input against the model and scores every row. O(rows · scoring cost). */
export function analyze(input: FigureInput): Analysis {
  const { model, values, rows } = input;
  checkInput(input);
  const scores = model.scoreMatrix(values, rows);
  const anomalyName = model.clusterName(-1);

  const clusterOf = new Int32Array(rows);
  const clusterCounts = new Map<number, number>();
  let anomalyCount = 0;
  for (let i = 0; i < rows; i++) {
    if (scores.isAnomaly[i]) {
      clusterOf[i] = -1;
      anomalyCount++;
      continue;
    }
    const cluster = scores.cluster[i] >= 0 ? scores.cluster[i] : scores.nearestCluster[i];
    clusterOf[i] = cluster;
    clusterCounts.set(cluster, (clusterCounts.get(cluster) ?? 0) + 1);
  }

  const { groups, indexOf } = legendGroups(model, clusterCounts, anomalyName, anomalyCount);
  const groupOf = new Uint16Array(rows);
  for (let i = 0; i < rows; i++) groupOf[i] = indexOf(clusterOf[i]);

  const anomalyOrder = rankAnomalies(scores, rows, anomalyCount);
  const sample = samplePoints(scores.isAnomaly, rows, input.maxPoints ?? 4000, input.seed ?? 1);
  // SVG and XML cannot contain control characters, so ids show them as escapes.
  const ids = input.ids?.map(visibleText);
  return {
    model,
    values,
    rows,
    features: model.features,
    scores,
    groupOf,
    groups,
    anomalyName,
    anomalyCount,
    anomalyOrder,
    sample,
    id: (row) => (ids ? ids[row] : `row ${row + 1}`),
  };
}

function checkInput(input: FigureInput): void {
  const { model, values, rows, features, ids } = input;
  const expected = model.featureNames.join(",");
  if (features.join(",") !== expected) {
    throw new Error(
      `features [${features.join(", ")}] do not match the model's features ` +
        `[${model.featureNames.join(", ")}]; pass the columns in model order`,
    );
  }
  if (!Number.isInteger(rows) || rows < 1) {
    throw new Error(`rows must be a positive integer, received ${rows}: nothing to draw`);
  }
  if (values.length !== rows * features.length) {
    throw new Error(
      `values has ${values.length} numbers, expected rows × features = ` +
        `${rows} × ${features.length} = ${rows * features.length}`,
    );
  }
  if (ids && ids.length !== rows) {
    throw new Error(`ids has ${ids.length} entries, expected one per row (${rows})`);
  }
}

function legendGroups(
  model: ReportModel,
  clusterCounts: Map<number, number>,
  anomalyName: string,
  anomalyCount: number,
) {
  const bySize = [...clusterCounts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const named = bySize.slice(0, MAX_NAMED_CLUSTERS);
  const rest = bySize.slice(MAX_NAMED_CLUSTERS);
  const position = new Map<number, number>();

  const groups = named.map(([cluster, count], k) => {
    position.set(cluster, k);
    return { name: model.clusterName(cluster), color: CLUSTER_COLORS[k], count };
  });
  const otherIndex = groups.length;
  if (rest.length > 0) {
    const count = rest.reduce((sum, [, n]) => sum + n, 0);
    groups.push({ name: `${rest.length} other clusters`, color: OTHER_COLOR, count });
  }
  const anomalyIndex = groups.length;
  groups.push({ name: anomalyName, color: ANOMALY_COLOR, count: anomalyCount });

  const indexOf = (cluster: number) =>
    cluster < 0 ? anomalyIndex : (position.get(cluster) ?? otherIndex);
  return { groups, indexOf };
}

function rankAnomalies(scores: BatchScores, rows: number, anomalyCount: number): Uint32Array {
  const order = new Uint32Array(anomalyCount);
  let k = 0;
  for (let i = 0; i < rows; i++) if (scores.isAnomaly[i]) order[k++] = i;
  return order.sort((a, b) => scores.score[b] - scores.score[a] || a - b);
}

/** Returns one row's raw values in model order. */
export function rowValues(analysis: Analysis, row: number): Float64Array {
  const d = analysis.features.length;
  return analysis.values.subarray(row * d, row * d + d);
}

/** Explains one row: its per-feature deviations from the nearest normal cluster. */
export function explainRow(analysis: Analysis, row: number): Deviation[] {
  return analysis.model.explain(rowValues(analysis, row));
}

/** Axis title of a feature: its label and unit, such as "Total cost ($)". */
export function featureTitle(spec: FeatureSpec): string {
  const label = spec.label ?? spec.name;
  return spec.unit ? `${label} (${spec.unit})` : label;
}
