/** The human-readable explanation of one scored event: verdict line and deviation table. */

import { circularDiff, type Deviation, type FeatureSpec, type ScoreResult } from "../engine.js";
import {
  featureLabel,
  formatDiffPct,
  formatLevel,
  formatNumber,
  formatSignedValue,
  formatValue,
} from "./format.js";
import { renderTable } from "./table.js";

/** The part of a model that explanations read. */
export interface ModelView {
  features: readonly FeatureSpec[];
  eps: number;
  threshold: number;
}

/**
 * Renders the verdict: anomaly or not, the score against the threshold, and the cluster.
 * For an anomaly, a second line names the nearest cluster and its distance.
 */
export function renderVerdict(result: ScoreResult, model: ModelView): string {
  const score = formatScore(result.score, model.threshold);
  const threshold = formatNumber(model.threshold);
  if (result.isAnomaly) {
    return (
      `🚨 ANOMALY: score ${score} (threshold ${threshold})\n` +
      `  nearest normal cluster: ${result.nearestCluster} "${result.nearestClusterName}", ` +
      `${formatNumber(result.distance)} away (eps ${formatNumber(model.eps)})`
    );
  }
  return (
    `✅ normal: in cluster ${result.cluster} "${result.clusterName}", ` +
    `score ${score} (threshold ${threshold})`
  );
}

/**
 * Renders the deviation table: feature, value, normal value, % difference, z, level,
 * and the feature's share of the distance to the nearest core sample.
 */
export function renderDeviations(deviations: readonly Deviation[], model: ModelView): string {
  const rows = deviations.map((d) => {
    const spec = specOf(model, d.feature);
    return [
      featureLabel(spec),
      formatValue(d.value, spec),
      formatValue(d.normal, spec),
      formatDifference(d, spec),
      formatNumber(d.z),
      formatLevel(d.level),
      `${Math.round(d.share * 100)}%`,
    ];
  });
  return renderTable(
    [
      { header: "Feature" },
      { header: "Value", align: "right" },
      { header: "Normal", align: "right" },
      { header: "Difference", align: "right" },
      { header: "z", align: "right" },
      { header: "Level" },
      { header: "Share", align: "right" },
    ],
    rows,
    "    ",
  );
}

/** Verdict line followed by the deviation table. */
export function renderExplanation(result: ScoreResult, model: ModelView): string {
  const verdict = renderVerdict(result, model).replace(/\n/g, "\n  ");
  return `  ${verdict}\n${renderDeviations(result.deviations, model)}`;
}

/**
 * Selects the `count` deviations that contribute most to the distance from normal, which
 * are the features that made the event an anomaly. Sorts by `share`, then by |z|.
 */
export function topDeviations(deviations: readonly Deviation[], count: number): Deviation[] {
  return [...deviations]
    .sort((a, b) => b.share - a.share || Math.abs(b.z) - Math.abs(a.z))
    .slice(0, count);
}

/** Describes one deviation in a phrase: "Total cost $380.00 vs $34.93 (+988%, 🔴 EXTREME)". */
export function describeDeviation(d: Deviation, model: ModelView): string {
  const spec = specOf(model, d.feature);
  return (
    `${featureLabel(spec)} ${formatValue(d.value, spec)} vs ${formatValue(d.normal, spec)} ` +
    `(${formatDifference(d, spec)}, ${formatLevel(d.level)})`
  );
}

/**
 * Formats the difference from normal: a percentage, or for a cyclic feature (which has no
 * percentage) the signed difference the short way round, such as "+7.24 h".
 */
export function formatDifference(d: Deviation, spec: FeatureSpec): string {
  if (d.diffPct !== null) return formatDiffPct(d.diffPct);
  if (spec.period) return formatSignedValue(circularDiff(d.value, d.normal, spec.period), spec);
  return "n/a";
}

function specOf(model: ModelView, feature: string): FeatureSpec {
  return model.features.find((f) => f.name === feature) ?? { name: feature };
}

/**
 * Formats a score with two decimals, or up to four when fewer would print it equal to the
 * threshold although it is not ("1.0012" rather than "1.00" against a threshold of 1).
 */
export function formatScore(score: number, threshold: number): string {
  for (let digits = 2; digits < 4; digits++) {
    const text = score.toFixed(digits);
    if (Number(text) !== threshold || score === threshold) return text;
  }
  return score.toFixed(4);
}
