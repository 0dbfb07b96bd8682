/** Sizes, fonts and the shared Vega-Lite config of every panel. */

import { SVG_FONT_STACK } from "./fonts.js";

/** A Vega-Lite specification as plain JSON. */
export type VlSpec = Record<string, unknown>;

/** Plot area of one panel of the figure, in pixels (axes, titles and legends come on top). */
export const PANEL_WIDTH = 330;
export const PANEL_HEIGHT = 230;

/** Vega-Lite `config`: one font everywhere and text sizes that read at 100 % zoom. */
export function chartConfig(): VlSpec {
  return {
    font: SVG_FONT_STACK,
    background: "white",
    padding: 16,
    view: { stroke: "#cfcfcf" },
    title: {
      fontSize: 14,
      anchor: "start",
      offset: 8,
      subtitleFontSize: 11,
      subtitleColor: "#555555",
      subtitlePadding: 4,
    },
    axis: {
      titleFontSize: 12,
      titleFontWeight: "normal",
      labelFontSize: 11,
      gridColor: "#ececec",
    },
    legend: {
      titleFontSize: 12,
      labelFontSize: 11,
      symbolSize: 90,
      labelLimit: 320,
    },
    concat: { spacing: 36 },
  };
}

/** Title block of a panel: a title and, when given, a subtitle line under it. */
export function panelTitle(text: string, subtitle?: string): VlSpec {
  return subtitle ? { text, subtitle } : { text };
}
