/**
 * The anomaly-intensity heatmap: the highest-scoring anomalies (rows) against the features
 * (columns), each cell coloured by the feature's deviation z from the nearest normal
 * cluster, as the model's explanation gives it.
 */

import { explainRow, type Analysis } from "./analysis.js";
import { panelTitle, PANEL_HEIGHT, PANEL_WIDTH, type VlSpec } from "./spec-config.js";

/** Number of anomalies shown in the heatmap. */
export const HEATMAP_ROWS = 15;
/** Colours saturate at this |z|; the tooltip still shows the exact value. */
const Z_LIMIT = 6;

export interface HeatmapOptions {
  interactive: boolean;
}

/** Builds the heatmap panel. Calls the model's `explain` once per anomaly shown. */
export function heatmapPanel(analysis: Analysis, options: HeatmapOptions): VlSpec {
  const topAnomalies = analysis.anomalyOrder.subarray(0, HEATMAP_ROWS);
  const featureLabels = analysis.features.map((f) => f.label ?? f.name);
  const rowLabels: string[] = [];
  const cells: VlSpec[] = [];

  topAnomalies.forEach((row, rank) => {
    const rowLabel = `#${rank + 1} ${analysis.id(row)}`;
    rowLabels.push(rowLabel);
    explainRow(analysis, row).forEach((dev, k) => {
      cells.push({
        row: rowLabel,
        feature: featureLabels[k],
        z: Number(dev.z.toFixed(3)),
        value: dev.value,
        normal: Number(dev.normal.toPrecision(6)),
        level: dev.level,
        score: Number(analysis.scores.score[row].toPrecision(6)),
      });
    });
  });

  const subtitle = topAnomalies.length === 0
    ? "no anomalies flagged"
    : `top ${topAnomalies.length} of ${analysis.anomalyCount} anomalies by score; ` +
      `colour saturates at |z| = ${Z_LIMIT}`;
  return {
    title: panelTitle("Anomaly intensity: deviation z per feature", subtitle),
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values: cells },
    mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: {
        field: "feature",
        type: "nominal",
        sort: featureLabels,
        title: "Feature",
        axis: { labelAngle: -30, labelLimit: 120 },
      },
      y: {
        field: "row",
        type: "nominal",
        sort: rowLabels,
        title: "Anomaly (rank and id)",
        axis: { labelLimit: 110, labelFontSize: 10 },
      },
      color: {
        field: "z",
        type: "quantitative",
        title: "z (σ from normal)",
        scale: { scheme: "redblue", reverse: true, domain: [-Z_LIMIT, Z_LIMIT], clamp: true },
        legend: { orient: "right", gradientLength: PANEL_HEIGHT - 20, tickCount: 7 },
      },
      ...(options.interactive ? { tooltip: cellTooltip() } : {}),
    },
  };
}

function cellTooltip(): VlSpec[] {
  return [
    { field: "row", title: "anomaly" },
    { field: "feature", title: "feature" },
    { field: "value", title: "value" },
    { field: "normal", title: "normal" },
    { field: "z", title: "z", format: "+.2f" },
    { field: "level", title: "level" },
    { field: "score", title: "score", format: ".3f" },
  ];
}
