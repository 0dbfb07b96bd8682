/** Tables that describe a fitted model: its clusters and its training summary. */

import type { AnomalyModel, TrainingSummary } from "../engine.js";
import {
  formatCount,
  formatMillis,
  formatNumber,
  formatShare,
  plural,
  wrapText,
} from "./format.js";
import { renderTable } from "./table.js";

/** Renders a row per cluster and one for noise: id, name, size, share, core samples. */
export function renderClusters(model: AnomalyModel): string {
  const profiles = [...model.clusters, model.noiseProfile];
  const rows = profiles.map((p) => [
    p.id === -1 ? "noise" : String(p.id),
    p.name,
    formatCount(p.size),
    formatShare(p.share),
    formatCount(p.coreCount),
  ]);
  return renderTable(
    [
      { header: "Cluster", align: "right" },
      { header: "Name" },
      { header: "Rows", align: "right" },
      { header: "Share", align: "right" },
      { header: "Core samples", align: "right" },
    ],
    rows,
  );
}

/** Renders the fit parameters and counts, one "name: value" line each. */
export function renderTrainingSummary(model: AnomalyModel): string {
  const s = model.summary;
  const eps = s.epsMethod === "given"
    ? `${formatNumber(s.eps)} (given)`
    : `${formatNumber(s.eps)} (${s.epsMethod})`;
  const lines = [
    ["Rows", formatCount(s.rows)],
    ["Features", String(model.featureNames.length)],
    ["Scaling", model.scale],
    ["eps", eps],
    ["minSamples", String(s.minSamples)],
    ["Clusters", formatCount(s.clusters)],
    ...dissolvedLine(s),
    ["Core samples", formatCount(s.coreSamples)],
    ["Noise (anomalies)", `${formatCount(s.noise)} (${formatShare(s.noiseShare)})`],
    ["Fit time", formatMillis(s.fitMillis)],
  ];
  const width = Math.max(...lines.map(([name]) => name.length));
  const indent = " ".repeat(width + 4);
  return lines
    .map(([name, value]) => {
      const text = name === "Features"
        ? `${value}: ${wrap(model.featureNames, indent)}`
        : wrapText(value, 86 - indent.length, indent);
      return `  ${(name + ":").padEnd(width + 1)} ${text}`;
    })
    .join("\n");
}

/** Returns the line about small clusters dissolved into noise, when `minClusterShare` is set. */
function dissolvedLine(s: TrainingSummary): string[][] {
  if (!s.minClusterShare) return [];
  const share = formatShare(s.minClusterShare);
  if (s.dissolvedClusters === 0) return [["Small clusters", `none under ${share} of the rows`]];
  const clusters = plural(s.dissolvedClusters, "cluster");
  const rows = plural(s.dissolvedRows, "row");
  return [["Small clusters", `${clusters} under ${share} of the rows (${rows}) made noise`]];
}

/** Joins `words` with commas, breaking lines before about 88 columns. */
function wrap(words: readonly string[], indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line}, ${word}` : word;
    if (line && indent.length + next.length > 80) {
      lines.push(line + ",");
      line = word;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join("\n" + indent);
}
