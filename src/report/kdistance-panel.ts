/**
 * The k-distance plot: every row's distance to its minSamples-th nearest neighbour (the row
 * itself counted), sorted, with the model's eps as a horizontal rule. Rows left of the
 * point where the curve crosses eps are core samples; a curve whose knee sits far from
 * the rule suggests another eps.
 */

import { panelTitle, PANEL_HEIGHT, PANEL_WIDTH, type VlSpec } from "./spec-config.js";

/** Points drawn on the curve; longer curves are thinned evenly, keeping both ends. */
const MAX_CURVE_POINTS = 1500;

export interface KDistanceOptions {
  /** Sorted ascending, one per row, in scaled units. */
  distances: Float64Array;
  eps: number;
  minSamples: number;
  noun: string;
}

/** Builds the k-distance panel (for the HTML page). */
export function kDistancePanel(options: KDistanceOptions): VlSpec {
  const { distances, eps, minSamples } = options;
  const n = distances.length;
  const step = Math.max(1, (n - 1) / (MAX_CURVE_POINTS - 1));
  const curve: VlSpec[] = [];
  for (let k = 0; k < Math.min(n, MAX_CURVE_POINTS); k++) {
    const rank = Math.round(k * step);
    curve.push({ rank: rank + 1, distance: Number(distances[rank].toPrecision(6)) });
  }
  let within = 0;
  while (within < n && distances[within] <= eps) within++;
  const share = n > 0 ? ((100 * within) / n).toFixed(1) : "0";

  // The tail of the curve can be 20 times eps; cut the axis so that the knee stays visible.
  const p99 = n > 0 ? distances[Math.floor(0.99 * (n - 1))] : eps;
  const top = Math.max(2 * eps, 1.2 * p99);
  const cut = n > 0 && distances[n - 1] > top;
  const yTitle = "Distance to k-th neighbour (scaled units)";
  const scale = { domain: [0, Number(top.toPrecision(3))] };
  const epsY = { field: "eps", type: "quantitative", title: yTitle, scale };
  return {
    title: panelTitle(
      `k-distance plot (k = minSamples = ${minSamples})`,
      `${share} % of ${options.noun} have k-distance ≤ eps = ${eps.toPrecision(3)} ` +
        `(core samples)${cut ? `; y axis cut at ${top.toPrecision(3)}, zoom out to see all` : ""}`,
    ),
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer: [
      {
        data: { values: curve },
        mark: { type: "line", color: "#4e79a7", point: false, clip: true },
        encoding: {
          x: { field: "rank", type: "quantitative", title: `${options.noun} sorted by k-distance` },
          y: { field: "distance", type: "quantitative", title: yTitle, scale },
          tooltip: [
            { field: "rank", title: "rank" },
            { field: "distance", title: "k-distance", format: ".4f" },
          ],
        },
        params: [{ name: "zoom", select: "interval", bind: "scales" }],
      },
      {
        data: { values: [{ eps, label: `eps = ${eps.toPrecision(3)}` }] },
        layer: [
          {
            mark: { type: "rule", color: "#d62728", strokeDash: [5, 3], strokeWidth: 1.5 },
            encoding: { y: epsY },
          },
          {
            mark: { type: "text", align: "left", baseline: "bottom", dx: 4, dy: -3, x: 0, color: "#d62728", fontSize: 12 },
            encoding: {
              y: epsY,
              text: { field: "label", type: "nominal" },
            },
          },
        ],
      },
    ],
  };
}
