/**
 * The six-panel analysis figure, written as anomaly_analysis.svg and anomaly_analysis.png.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyze, type Analysis } from "./analysis.js";
import { buildPanels } from "./panels.js";
import { renderSvg, svgToPng } from "./render.js";
import { chartConfig, type VlSpec } from "./spec-config.js";
import type { FigureInput } from "./types.js";

/** Options of `drawFigure`: the rows to draw and where to write the files. */
export interface DrawFigureOptions extends FigureInput {
  /** Folder to write into; created when missing. */
  outDir: string;
  /** File name without extension. Default "anomaly_analysis". */
  basename?: string;
  /** PNG pixels per SVG pixel. Default 2. */
  pngScale?: number;
}

/** Paths of the written files. */
export interface FigureFiles {
  png: string;
  svg: string;
}

/**
 * Scores the rows with the model, draws the six panels and writes `<basename>.svg` and
 * `<basename>.png` into `outDir`. Scatter panels draw a seeded random sample of at most
 * `maxPoints` rows (all anomalies first), and their subtitle states the sample size.
 * The same input and seed give byte-identical files.
 *
 * Throws when `features` differ from the model's features, when `values` has the wrong
 * length, when there are no rows, or when a font file is missing (the error names it).
 */
export async function drawFigure(options: DrawFigureOptions): Promise<FigureFiles> {
  return writeFigure(analyze(options), options);
}

/** Draws an analysed input and writes the two files, as `drawFigure` describes. */
export async function writeFigure(
  analysis: Analysis,
  options: Pick<DrawFigureOptions, "outDir" | "basename" | "pngScale">,
): Promise<FigureFiles> {
  const svg = await renderSvg(figureSpec(analysis));
  const png = svgToPng(svg, options.pngScale ?? 2);
  mkdirSync(options.outDir, { recursive: true });
  const base = join(options.outDir, options.basename ?? "anomaly_analysis");
  const files = { svg: `${base}.svg`, png: `${base}.png` };
  writeFileSync(files.svg, svg);
  writeFileSync(files.png, png);
  return files;
}

/** Draws the figure in memory: the SVG text and the PNG bytes. */
export async function renderFigure(
  input: FigureInput,
  pngScale = 2,
): Promise<{ svg: string; png: Buffer }> {
  const spec = figureSpec(analyze(input));
  const svg = await renderSvg(spec);
  return { svg, png: svgToPng(svg, pngScale) };
}

/** Builds the Vega-Lite spec of the whole figure: a 3-column grid of panels. */
export function figureSpec(analysis: Analysis): VlSpec {
  const { panels, points, noun } = buildPanels(analysis, false);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(analysis, noun),
    config: chartConfig(),
    datasets: { points },
    columns: 3,
    concat: panels.map((p) => p.spec),
    resolve: {
      scale: { color: "independent", size: "independent" },
      legend: { color: "independent" },
    },
  };
}

function figureTitle(analysis: Analysis, noun: string): VlSpec {
  const { model, rows, anomalyCount } = analysis;
  const share = ((100 * anomalyCount) / rows).toFixed(1);
  const count = (n: number) => n.toLocaleString("en-US");
  return {
    text: `sigh anomaly analysis: ${count(rows)} ${noun}, ${count(anomalyCount)} anomalies (${share} %)`,
    subtitle:
      `model ${model.modelId.slice(0, 12)}, eps ${model.eps.toPrecision(3)}, ` +
      `minSamples ${model.minSamples}, ${model.clusters.length} clusters, ` +
      `features: ${model.featureNames.join(", ")}`,
    fontSize: 18,
    subtitleFontSize: 12,
    offset: 14,
  };
}
