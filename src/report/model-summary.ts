/** The HTML section that lists the model's parameters, training summary and clusters. */

import { escapeHtml } from "./escape.js";
import type { ReportModel } from "./types.js";

/** Builds the parameters list and the cluster table. */
export function modelSummary(model: ReportModel): string {
  const s = model.summary;
  const entries: [string, string][] = [
    ["Model id", model.modelId],
    ["Features", model.featureNames.join(", ")],
    ["eps", `${model.eps} (${s.epsMethod})`],
    ["minSamples", String(model.minSamples)],
    ["Scaling", model.scale],
    ["Score threshold", `${model.threshold} (score above it = anomaly)`],
    ["Training rows", String(s.rows)],
    ["Clusters", String(s.clusters)],
    ["Noise rows", `${s.noise} (${(100 * s.noiseShare).toFixed(1)} %)`],
    ["Core samples", String(s.coreSamples)],
    ["Fit time", `${s.fitMillis.toFixed(0)} ms`],
    ["Trained at", s.trainedAt],
  ];
  const list = entries
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("\n");

  const clusterRows = model.clusters
    .map(
      (c) =>
        `<tr><td>${c.id}</td><td>${escapeHtml(c.name)}</td><td>${c.size}</td>` +
        `<td>${c.coreCount}</td><td>${(100 * c.share).toFixed(1)} %</td></tr>`,
    )
    .join("\n");
  return (
    `<dl class="params">\n${list}\n</dl>\n` +
    `<table id="clusters"><thead><tr><th>Cluster</th><th>Name</th><th>Rows</th>` +
    `<th>Core samples</th><th>Share</th></tr></thead><tbody>\n${clusterRows}\n</tbody></table>`
  );
}
