/**
 * A distribution panel: the histogram of one quantity for normal rows and for anomalies,
 * each as a share of its own group, so that a few anomalies remain visible next to many
 * normal rows. Bins are counted here, not by Vega, so large inputs stay cheap to draw.
 */

import { ANOMALY_COLOR, type Analysis } from "./analysis.js";
import { panelTitle, PANEL_HEIGHT, PANEL_WIDTH, type VlSpec } from "./spec-config.js";

const BIN_COUNT = 30;
/** Values outside these quantiles of all rows are counted in the first or last bin. */
const LOW_QUANTILE = 0.005;
const HIGH_QUANTILE = 0.995;
const NORMAL_COLOR = "#4e79a7";

export interface HistogramOptions {
  title: string;
  /** Axis title of the quantity, with its unit. */
  xTitle: string;
  /** Value of row `i`. */
  value: (row: number) => number;
  /** Draws a vertical rule here, labelled with `ruleLabel`. */
  rule?: number;
  ruleLabel?: string;
  interactive: boolean;
}

/** One bar: a bin and a group, with the group's share of rows in it (0..100). */
interface BinRecord {
  start: number;
  end: number;
  group: string;
  share: number;
  count: number;
}

/** Builds the histogram panel. O(rows log rows) for the quantiles. */
export function histogramPanel(analysis: Analysis, options: HistogramOptions): VlSpec {
  const bins = binRows(analysis, options.value);
  const groups = ["Normal", analysis.anomalyName];
  const bars: VlSpec = {
    data: { values: bins },
    mark: { type: "bar", opacity: 0.6, binSpacing: 0 },
    encoding: {
      x: { field: "start", type: "quantitative", bin: { binned: true }, title: options.xTitle },
      x2: { field: "end" },
      y: { field: "share", type: "quantitative", stack: null, title: "Share of group (%)" },
      color: {
        field: "group",
        type: "nominal",
        title: null,
        scale: { domain: groups, range: [NORMAL_COLOR, ANOMALY_COLOR] },
        legend: { orient: "top-right", fillColor: "white", padding: 4 },
      },
      ...(options.interactive ? { tooltip: binTooltip() } : {}),
    },
  };
  const layers: VlSpec[] = [bars];
  if (options.rule !== undefined) {
    layers.push(ruleLayer(options.rule, options.ruleLabel ?? "", options.xTitle));
  }
  return {
    title: panelTitle(options.title, clampNote(bins)),
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer: layers,
  };
}

function binTooltip(): VlSpec[] {
  return [
    { field: "group", title: "group" },
    { field: "start", title: "from", format: ".4~g" },
    { field: "end", title: "to", format: ".4~g" },
    { field: "count", title: "rows" },
    { field: "share", title: "share of group (%)", format: ".1f" },
  ];
}

/** Builds a labelled vertical rule whose x shares the bars' scale and axis title. */
function ruleLayer(at: number, label: string, xTitle: string): VlSpec {
  const x = { field: "at", type: "quantitative", title: xTitle };
  return {
    data: { values: [{ at, label }] },
    layer: [
      {
        mark: { type: "rule", color: "#333333", strokeDash: [4, 3] },
        encoding: { x },
      },
      {
        mark: { type: "text", align: "left", dx: 4, dy: -4, baseline: "bottom", fontSize: 11, y: 0 },
        encoding: {
          x,
          text: { field: "label", type: "nominal" },
        },
      },
    ],
  };
}

function clampNote(bins: BinRecord[]): string {
  const first = bins[0];
  const last = bins[bins.length - 1];
  return first && last
    ? `outer bins also hold the values below ${fmt(first.end)} and above ${fmt(last.start)}`
    : "no rows";
}

function fmt(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

function binRows(analysis: Analysis, value: (row: number) => number): BinRecord[] {
  const { rows, scores } = analysis;
  const all = new Float64Array(rows);
  for (let i = 0; i < rows; i++) all[i] = value(i);
  const sorted = Float64Array.from(all).sort();
  let low = sorted[Math.floor(LOW_QUANTILE * (rows - 1))];
  let high = sorted[Math.ceil(HIGH_QUANTILE * (rows - 1))];
  if (!(high > low)) {
    low = sorted[0] - 0.5;
    high = sorted[rows - 1] + 0.5;
  }
  const width = (high - low) / BIN_COUNT;

  const counts = [new Float64Array(BIN_COUNT), new Float64Array(BIN_COUNT)];
  const totals = [0, 0];
  for (let i = 0; i < rows; i++) {
    const bin = Math.min(BIN_COUNT - 1, Math.max(0, Math.floor((all[i] - low) / width)));
    const group = scores.isAnomaly[i] ? 1 : 0;
    counts[group][bin]++;
    totals[group]++;
  }

  const names = ["Normal", analysis.anomalyName];
  const records: BinRecord[] = [];
  for (let group = 0; group < 2; group++) {
    if (totals[group] === 0) continue;
    for (let b = 0; b < BIN_COUNT; b++) {
      records.push({
        start: low + b * width,
        end: low + (b + 1) * width,
        group: names[group],
        share: (100 * counts[group][b]) / totals[group],
        count: counts[group][b],
      });
    }
  }
  return records;
}
