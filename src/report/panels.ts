/**
 * Chooses the six panels. Data with the Bob's Burgers order features gets the order story:
 * cost, timing and request frequency. Other data gets the feature pairs that best separate
 * anomalies, the score histogram, the PCA projection and the heatmap.
 */

import { featureTitle, type Analysis } from "./analysis.js";
import { heatmapPanel } from "./heatmap-panel.js";
import { histogramPanel } from "./histogram-panel.js";
import { pca } from "./pca.js";
import { bestPairs, separationByFeature } from "./separation.js";
import { featureField, pointRecords, scatterPanel, type AxisChoice } from "./scatter-panel.js";
import type { VlSpec } from "./spec-config.js";

/** One panel: a stable key (used as an element id in the HTML page) and its spec. */
export interface Panel {
  key: string;
  spec: VlSpec;
}

/** Result of `buildPanels`: the panels and the shared data set they read. */
export interface PanelSet {
  panels: Panel[];
  points: VlSpec[];
  /** "orders" for the order demo, "rows" otherwise. */
  noun: string;
}

const ORDER_COLUMNS = ["items_per_order", "time_since_last_order", "order_time", "total_cost"];

/** Shared state of one `buildPanels` call. */
interface Builder {
  analysis: Analysis;
  interactive: boolean;
  panels: Panel[];
  /** Sampling note for scatter subtitles, when rows were left out. */
  note?: string;
  /** Index of the scatter panel that shows the cluster legend in the figure. */
  legendAt: number;
}

/** Builds the panels of the figure (`interactive` false) or of the HTML page. */
export function buildPanels(analysis: Analysis, interactive: boolean): PanelSet {
  const d = analysis.features.length;
  const scaled = analysis.model.transform(analysis.values, analysis.rows);
  const projection = pcaOfSample(analysis, scaled);
  const points = pointRecords(analysis, projection.coordinates, interactive);
  const names = analysis.features.map((f) => f.name);
  const isOrders = ORDER_COLUMNS.every((name) => names.includes(name));
  const noun = isOrders ? "orders" : "rows";
  const pairs = isOrders
    ? []
    : bestPairs(separationByFeature(scaled, analysis.rows, d, analysis.scores.isAnomaly), 3);

  // The figure draws one cluster legend, at the right end of its first row of scatters.
  const legendAt = (isOrders ? 3 : pairs.length) - 1;
  const builder: Builder = {
    analysis, interactive, panels: [], note: sampleNote(analysis, noun), legendAt,
  };
  if (isOrders) {
    addOrderPanels(builder);
  } else {
    addPairPanels(builder, pairs);
  }

  const share = (k: number) => `${(100 * projection.varianceShare[k]).toFixed(1)} % of variance`;
  if (d >= 2) {
    addScatter(
      builder,
      "pca",
      "PCA of the scaled features",
      { field: "pc1", title: `PC1 (${share(0)})` },
      { field: "pc2", title: `PC2 (${share(1)})` },
    );
  }
  builder.panels.push({ key: "heatmap", spec: heatmapPanel(analysis, { interactive }) });
  return { panels: builder.panels, points, noun };
}

function addScatter(builder: Builder, key: string, title: string, x: AxisChoice, y: AxisChoice) {
  const { analysis, interactive, panels, note } = builder;
  const legend = interactive || panels.length === builder.legendAt;
  const spec = scatterPanel(analysis, { title, subtitle: note, x, y, legend, interactive });
  panels.push({ key, spec });
}

function featureAxis(analysis: Analysis, k: number, domain?: [number, number]): AxisChoice {
  return { field: featureField(k), title: featureTitle(analysis.features[k]), domain };
}

/** Adds the order story: cost, timing, request frequency and the cost distribution. */
function addOrderPanels(builder: Builder): void {
  const { analysis } = builder;
  const names = analysis.features.map((f) => f.name);
  const axis = (name: string, domain?: [number, number]) =>
    featureAxis(analysis, names.indexOf(name), domain);
  const items = axis("items_per_order");

  addScatter(builder, "cost", "Items per order vs total cost", items, axis("total_cost"));
  addScatter(builder, "timing", "Timing: hour of day vs items", axis("order_time", [0, 24]), items);
  addScatter(
    builder,
    "frequency",
    "Request frequency: time since last order vs items",
    axis("time_since_last_order"),
    items,
  );

  const d = names.length;
  const cost = names.indexOf("total_cost");
  builder.panels.push({
    key: "distribution",
    spec: histogramPanel(analysis, {
      title: "Total cost: normal vs anomalous",
      xTitle: featureTitle(analysis.features[cost]),
      value: (row) => analysis.values[row * d + cost],
      interactive: builder.interactive,
    }),
  });
}

/** Adds the best-separating feature pairs and the score distribution. */
function addPairPanels(builder: Builder, pairs: [number, number][]): void {
  const { analysis } = builder;
  const label = (k: number) => analysis.features[k].label ?? analysis.features[k].name;
  pairs.forEach(([i, j], k) => {
    const title = `Separating pair ${k + 1}: ${label(i)} vs ${label(j)}`;
    addScatter(builder, `pair${k + 1}`, title, featureAxis(analysis, i), featureAxis(analysis, j));
  });
  builder.panels.push({
    key: "distribution",
    spec: histogramPanel(analysis, {
      title: "Anomaly score: normal vs anomalous",
      xTitle: "Score (higher is more anomalous)",
      value: (row) => analysis.scores.score[row],
      rule: analysis.model.threshold,
      ruleLabel: "threshold",
      interactive: builder.interactive,
    }),
  });
}

/** Fits PCA on all scaled rows and returns the drawn rows' two coordinates each. */
function pcaOfSample(analysis: Analysis, scaled: Float64Array) {
  const d = analysis.features.length;
  const fit = pca(scaled, analysis.rows, d, 2);
  const m = fit.components;
  const coordinates = new Float64Array(analysis.sample.indexes.length * 2);
  analysis.sample.indexes.forEach((row, k) => {
    coordinates[2 * k] = fit.coordinates[row * m];
    coordinates[2 * k + 1] = m > 1 ? fit.coordinates[row * m + 1] : 0;
  });
  return { coordinates, varianceShare: fit.varianceShare };
}

function sampleNote(analysis: Analysis, noun: string): string | undefined {
  const { sample, rows, anomalyCount } = analysis;
  if (!sample.sampled) return undefined;
  const drawn = sample.indexes.length.toLocaleString("en-US");
  const anomalies = sample.anomaliesDrawn === anomalyCount
    ? "all anomalies kept"
    : `${sample.anomaliesDrawn.toLocaleString("en-US")} of ${anomalyCount.toLocaleString("en-US")} anomalies`;
  return `random sample of ${drawn} of ${rows.toLocaleString("en-US")} ${noun}, ${anomalies}`;
}
