/**
 * Turns Vega-Lite specs into pictures: Vega-Lite compiles to Vega, a headless Vega view
 * (renderer "none") writes SVG, and resvg rasterises the SVG to PNG with the project's own
 * font files and no system fonts.
 */

import { Resvg } from "@resvg/resvg-js";
import { parse, resetSVGDefIds, View, type Spec } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { FONT_FAMILY, fontFiles } from "./fonts.js";
import type { VlSpec } from "./spec-config.js";
import { useFontMetrics } from "./text-metrics.js";

/** Compiles a Vega-Lite spec to a Vega spec. Throws when Vega-Lite rejects the spec. */
export function toVega(spec: VlSpec): Spec {
  return compile(spec as unknown as TopLevelSpec).spec as Spec;
}

/**
 * Renders a Vega-Lite spec to an SVG document, measuring text with the project's fonts.
 * Same spec, same bytes.
 */
export async function renderSvg(spec: VlSpec): Promise<string> {
  useFontMetrics(fontFiles());
  resetSvgDefinitionIds();
  const view = new View(parse(toVega(spec)), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Restarts the counter behind gradient and clip-path ids (gradient_0, …), which Vega keeps
 * across renders, so that the same spec gives the same SVG however many were drawn before.
 */
function resetSvgDefinitionIds(): void {
  resetSVGDefIds();
}

/**
 * Rasterises an SVG document to PNG at `scale` times its size. Throws naming the font file
 * when one is missing.
 */
export function svgToPng(svg: string, scale = 1): Buffer {
  const fonts = fontFiles();
  const resvg = new Resvg(svg, {
    fitTo: scale === 1 ? { mode: "original" } : { mode: "zoom", value: scale },
    font: {
      fontFiles: [fonts.regular, fonts.bold, fonts.emoji],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    background: "white",
  });
  return resvg.render().asPng();
}
