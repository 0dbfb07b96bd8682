/**
 * Scatter panels: one point per drawn row, coloured by cluster with anomalies in red.
 * They all read the named data set "points" (see `pointRecords`).
 */

import { explainRow, featureTitle, type Analysis } from "./analysis.js";
import { panelTitle, PANEL_HEIGHT, PANEL_WIDTH, type VlSpec } from "./spec-config.js";

/** Name of the shared data set of drawn rows. */
export const POINTS = "points";

/** One axis of a scatter panel: a field of the point records and its title. */
export interface AxisChoice {
  field: string;
  title: string;
  /** Fixed scale domain, such as [0, 24] for an hour of day. */
  domain?: [number, number];
}

export interface ScatterOptions {
  title: string;
  subtitle?: string;
  x: AxisChoice;
  y: AxisChoice;
  /** Draw the cluster legend beside this panel. */
  legend: boolean;
  /** Add tooltips, zoom and pan, and a legend that filters clusters (for the HTML page). */
  interactive: boolean;
}

/** Field of feature `k` in the point records. Indexes avoid dots and brackets in names. */
export function featureField(k: number): string {
  return `v${k}`;
}

/**
 * Builds the records of the drawn rows: feature values (`v0`…), group name, score and, for
 * the HTML page, a one-line explanation. `projection` contains 2 coordinates per drawn row.
 */
export function pointRecords(
  analysis: Analysis,
  projection: Float64Array,
  withExplanation: boolean,
): VlSpec[] {
  const d = analysis.features.length;
  const records: VlSpec[] = [];
  analysis.sample.indexes.forEach((row, k) => {
    const record: VlSpec = {
      id: analysis.id(row),
      group: analysis.groups[analysis.groupOf[row]].name,
      anomaly: analysis.scores.isAnomaly[row] === 1,
      score: round(analysis.scores.score[row]),
      pc1: round(projection[2 * k]),
      pc2: round(projection[2 * k + 1]),
    };
    for (let j = 0; j < d; j++) record[featureField(j)] = analysis.values[row * d + j];
    if (withExplanation) record.why = explanationText(analysis, row);
    records.push(record);
  });
  return records;
}

/** Describes an anomaly by its three largest deviations, or marks a row as normal. */
function explanationText(analysis: Analysis, row: number): string {
  if (!analysis.scores.isAnomaly[row]) return "normal: inside a dense cluster";
  const deviations = explainRow(analysis, row)
    .slice()
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, 3);
  return deviations
    .map((dev) => {
      const sign = dev.z >= 0 ? "+" : "";
      return `${dev.feature} ${format(dev.value)} vs ${format(dev.normal)} ` +
        `(z ${sign}${dev.z.toFixed(1)}, ${dev.level})`;
    })
    .join("; ");
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** Rounds to 6 significant digits so the JSON stays small and the output stable. */
function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : value;
}

/** Builds one scatter panel. */
export function scatterPanel(analysis: Analysis, options: ScatterOptions): VlSpec {
  const names = analysis.groups.map((g) => g.name);
  const colors = analysis.groups.map((g) => g.color);
  const color: VlSpec = {
    field: "group",
    type: "nominal",
    title: "Cluster",
    scale: { domain: names, range: colors },
    legend: options.legend ? { orient: "right", symbolOpacity: 1 } : null,
  };
  const spec: VlSpec = {
    title: panelTitle(options.title, options.subtitle),
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { name: POINTS },
    mark: { type: "circle", opacity: 0.7 },
    encoding: {
      x: axisEncoding(options.x),
      y: axisEncoding(options.y),
      color,
      size: { condition: { test: "datum.anomaly", value: 30 }, value: 14 },
    },
  };
  if (options.interactive) addInteraction(spec, analysis);
  return spec;
}

function axisEncoding(axis: AxisChoice): VlSpec {
  const scale: VlSpec = axis.domain ? { domain: axis.domain, nice: false } : { zero: false };
  return { field: axis.field, type: "quantitative", title: axis.title, scale };
}

function addInteraction(spec: VlSpec, analysis: Analysis): void {
  const encoding = spec.encoding as VlSpec;
  spec.params = [
    { name: "zoom", select: "interval", bind: "scales" },
    { name: "pick", select: { type: "point", fields: ["group"] }, bind: "legend" },
  ];
  encoding.opacity = { condition: { param: "pick", value: 0.75 }, value: 0.05 };
  encoding.tooltip = [
    { field: "id", title: "id" },
    { field: "group", title: "cluster" },
    { field: "score", title: "score", format: ".3f" },
    ...analysis.features.map((spec, k) => ({
      field: featureField(k),
      title: featureTitle(spec),
      format: ".6~g",
    })),
    { field: "why", title: "explanation" },
  ];
}
