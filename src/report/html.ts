/**
 * report.html: one self-contained page with the interactive panels, the k-distance plot,
 * the table of flagged rows and the model's parameters. The Vega runtime is inlined and
 * the specs are compiled to Vega here, so the page makes no network request. Its Content
 * Security Policy forbids any.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kDistances } from "../engine/index.js";
import { analyze, type Analysis } from "./analysis.js";
import { escapeHtml, jsonForScript } from "./escape.js";
import { writeFigure, type DrawFigureOptions, type FigureFiles } from "./figure.js";
import { flaggedTable } from "./flagged-table.js";
import { kDistancePanel } from "./kdistance-panel.js";
import { modelSummary } from "./model-summary.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";
import { buildPanels, type Panel } from "./panels.js";
import { toVega } from "./render.js";
import { chartConfig } from "./spec-config.js";

/** Options of `writeReport`: those of `drawFigure`, plus a label for the data source. */
export interface WriteReportOptions extends DrawFigureOptions {
  /** Label of the rows' source for the page header, such as a file name. */
  source?: string;
}

/** Paths of the files `writeReport` writes. */
export interface ReportFiles extends FigureFiles {
  html: string;
}

/**
 * Scores the rows once, then writes anomaly_analysis.svg, anomaly_analysis.png and
 * report.html into `outDir`. The k-distance plot costs one k-nearest-neighbour query per
 * row (O(rows · minSamples · log rows)). Throws as `drawFigure` does.
 */
export async function writeReport(options: WriteReportOptions): Promise<ReportFiles> {
  const analysis = analyze(options);
  const figure = await writeFigure(analysis, options);
  const html = join(options.outDir, "report.html");
  writeFileSync(html, reportHtml(analysis, options.source));
  return { ...figure, html };
}

/** Builds the text of report.html. The same input gives the same bytes. */
export function reportHtml(analysis: Analysis, source?: string): string {
  const { panels, points, noun } = buildPanels(analysis, true);
  panels.push({ key: "kdistance", spec: kDistancePanel({ ...kDistanceInput(analysis), noun }) });

  const compiled = panels.map((panel) => ({ key: panel.key, spec: compilePanel(panel) }));
  const payload = jsonForScript({ panels: compiled, points });
  const { model, rows, anomalyCount } = analysis;
  const heading = `sigh anomaly report: ${rows} ${noun}, ${anomalyCount} flagged`;
  const sourceLine = source ? `Data: ${source}. ` : "";

  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; ' +
      "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">",
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(heading)}</title>`,
    `<style>${PAGE_STYLE}</style></head><body>`,
    `<header><h1>${escapeHtml(heading)}</h1>`,
    `<p class="subtitle">${escapeHtml(sourceLine)}Model ${escapeHtml(model.modelId)}, ` +
      `eps ${escapeHtml(model.eps)}, minSamples ${escapeHtml(model.minSamples)}.</p></header>`,
    "<section><h2>Panels</h2>",
    '<p class="help">Hover a mark for its values and explanation. On scatter plots, drag to ' +
      "pan and scroll to zoom. Click a legend entry to show one cluster, shift-click to add " +
      "more. Double-click a plot to reset the zoom and show all clusters.</p>",
    `<div class="grid">${panels.map(panelFigure).join("\n")}</div></section>`,
    `<section><h2>Flagged ${escapeHtml(noun)} (${anomalyCount}), highest score first</h2>`,
    `<div class="table-wrap">${flaggedTable(analysis)}</div></section>`,
    `<section><h2>Model</h2>${modelSummary(model)}</section>`,
    '<div id="tooltip" hidden></div>',
    `<script>${vegaRuntime()}</script>`,
    `<script type="application/json" id="sigh-data">${payload}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}

function panelFigure(panel: Panel): string {
  return `<figure class="panel" id="panel-${panel.key}"><div id="chart-${panel.key}"></div></figure>`;
}

/** Compiles one panel to Vega with an empty "points" data set that the page fills in. */
function compilePanel(panel: Panel) {
  return toVega({ ...panel.spec, config: chartConfig(), datasets: { points: [] } });
}

function kDistanceInput(analysis: Analysis) {
  const { model, rows } = analysis;
  const d = analysis.features.length;
  const k = Math.min(model.minSamples, rows);
  const scaled = model.transform(analysis.values, rows);
  const periods = model.scaler?.scaledPeriods;
  return { distances: kDistances(scaled, rows, d, k, periods), eps: model.eps, minSamples: k };
}

let vegaSource: string | undefined;

/** Returns the browser build of Vega from node_modules (vega/build/vega.min.js). */
function vegaRuntime(): string {
  if (vegaSource === undefined) {
    const entry = fileURLToPath(import.meta.resolve("vega"));
    const path = join(dirname(entry), "vega.min.js");
    vegaSource = readFileSync(path, "utf8");
    if (/<\/script|<!--/i.test(vegaSource)) {
      throw new Error(`${path} contains "</script" or "<!--" and cannot be inlined in a page`);
    }
  }
  return vegaSource;
}

