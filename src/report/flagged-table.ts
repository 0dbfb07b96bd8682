/** The HTML table of flagged rows, highest score first, with each feature's deviation. */

import { explainRow, featureTitle, type Analysis } from "./analysis.js";
import { escapeHtml } from "./escape.js";
import type { Deviation } from "../engine/types.js";

/** Builds the table: one body row per anomaly, in `analysis.anomalyOrder`. */
export function flaggedTable(analysis: Analysis): string {
  const head = [
    "<th>Rank</th>",
    "<th>Id</th>",
    "<th>Score</th>",
    "<th>Nearest cluster</th>",
    ...analysis.features.map((f) => `<th>${escapeHtml(featureTitle(f))}</th>`),
  ].join("");

  const body: string[] = [];
  analysis.anomalyOrder.forEach((row, rank) => {
    const nearest = analysis.model.clusterName(analysis.scores.nearestCluster[row]);
    const cells = explainRow(analysis, row).map(deviationCell).join("");
    body.push(
      `<tr><td>${rank + 1}</td><td>${escapeHtml(analysis.id(row))}</td>` +
        `<td>${analysis.scores.score[row].toFixed(3)}</td>` +
        `<td>${escapeHtml(nearest)}</td>${cells}</tr>`,
    );
  });

  return (
    `<table id="flagged"><thead><tr>${head}</tr></thead>` +
    `<tbody>\n${body.join("\n")}\n</tbody></table>`
  );
}

function deviationCell(dev: Deviation): string {
  const sign = dev.z >= 0 ? "+" : "";
  const pct = dev.diffPct === null ? "" : `, ${dev.diffPct >= 0 ? "+" : ""}${dev.diffPct.toFixed(0)} %`;
  const detail = `normal ${formatValue(dev.normal)}, z ${sign}${dev.z.toFixed(2)}${pct}`;
  return (
    `<td class="level-${dev.level.toLowerCase()}" title="${escapeHtml(dev.level)}">` +
    `${escapeHtml(formatValue(dev.value))}<small>${escapeHtml(detail)}</small></td>`
  );
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : Number(value.toPrecision(5)).toString();
}
