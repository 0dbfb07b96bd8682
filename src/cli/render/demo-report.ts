/** The sections of the `sigh demo` report that describe a fitted model on its own data. */

import {
  circularDiff,
  circularMean,
  type AnomalyModel,
  type BatchScores,
  type FeatureSpec,
} from "../engine.js";
import type { FlagQuality } from "../engine.js";
import { describeDeviation, topDeviations } from "./explanation.js";
import {
  featureLabel,
  formatCount,
  formatDiffPct,
  formatNumber,
  formatSignedValue,
  formatValue,
  plural,
} from "./format.js";
import { renderTable } from "./table.js";

/**
 * Renders the mean of every feature over normal rows (label >= 0) and over anomalies
 * (noise), with the difference, the unit and what the feature means in production.
 * Cyclic features get the circular mean and the difference the short way round.
 */
export function renderMeansTable(model: AnomalyModel, values: Float64Array): string {
  const d = model.features.length;
  const rows = model.features.map((spec, k) => {
    const normal: number[] = [];
    const noise: number[] = [];
    for (let i = 0; i < model.labels.length; i++) {
      (model.labels[i] === -1 ? noise : normal).push(values[i * d + k]);
    }
    const plain = { ...spec, unit: undefined };
    const normalMean = meanOf(normal, spec.period);
    const noiseMean = meanOf(noise, spec.period);
    return [
      featureLabel(spec),
      spec.unit ?? "",
      normal.length ? formatValue(normalMean, plain) : "-",
      noise.length ? formatValue(noiseMean, plain) : "-",
      normal.length && noise.length ? meanDifference(noiseMean, normalMean, spec) : "n/a",
      spec.production ?? "",
    ];
  });
  return renderTable(
    [
      { header: "Feature" },
      { header: "Unit" },
      { header: "Normal", align: "right" },
      { header: "Anomalous", align: "right" },
      { header: "Difference", align: "right" },
      { header: "In production" },
    ],
    rows,
  );
}

function meanOf(values: readonly number[], period: number | undefined): number {
  if (period) return circularMean(values, period);
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function meanDifference(anomalous: number, normal: number, spec: FeatureSpec): string {
  if (spec.period) return formatSignedValue(circularDiff(anomalous, normal, spec.period), spec);
  if (normal === 0) return "n/a";
  return formatDiffPct(((anomalous - normal) / Math.abs(normal)) * 100);
}

/**
 * Renders the `count` flagged rows with the highest scores, one line each with their id and the
 * three features that deviate most.
 */
export function renderTopAnomalies(
  model: AnomalyModel,
  values: Float64Array,
  scores: BatchScores,
  ids: readonly string[],
  count: number,
): string {
  const d = model.features.length;
  const flagged = [...scores.isAnomaly.keys()].filter((i) => scores.isAnomaly[i] === 1);
  flagged.sort((a, b) => scores.score[b] - scores.score[a]);
  if (flagged.length === 0) return "  (no anomalies)";
  return flagged
    .slice(0, count)
    .map((i, rank) => {
      const deviations = topDeviations(model.explain(values.subarray(i * d, i * d + d)), 3);
      const reasons = deviations.map((dev) => `      ${describeDeviation(dev, model)}`);
      return [`  ${rank + 1}. ${ids[i]}, score ${formatNumber(scores.score[i])}`, ...reasons]
        .join("\n");
    })
    .join("\n");
}

/** Precision, recall and F1 with the counts behind them. */
export function renderFlagQuality(quality: FlagQuality): string {
  const flagged = quality.truePositives + quality.falsePositives;
  const injected = quality.truePositives + quality.falseNegatives;
  const ratio = (x: number) => (Number.isNaN(x) ? "n/a" : x.toFixed(3));
  return [
    `  Precision  ${ratio(quality.precision)}  ` +
      `(${formatCount(quality.truePositives)} of ${plural(flagged, "flagged order")} ` +
      `were injected anomalies)`,
    `  Recall     ${ratio(quality.recall)}  ` +
      `(${formatCount(quality.truePositives)} of ` +
      `${plural(injected, "injected anomaly", "injected anomalies")} ` +
      `were flagged)`,
    `  F1         ${ratio(quality.f1)}`,
  ].join("\n");
}

/** Recall per injected anomaly kind: kind, injected, flagged. */
export function renderRecallByKind(
  kinds: readonly string[],
  flags: ArrayLike<number>,
): string {
  const counts = new Map<string, { injected: number; flagged: number }>();
  kinds.forEach((kind, i) => {
    if (kind === "") return;
    const entry = counts.get(kind) ?? { injected: 0, flagged: 0 };
    entry.injected++;
    if (flags[i]) entry.flagged++;
    counts.set(kind, entry);
  });
  const rows = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, c]) => [
      kind,
      formatCount(c.injected),
      formatCount(c.flagged),
      `${((c.flagged / c.injected) * 100).toFixed(0)}%`,
    ]);
  return renderTable(
    [
      { header: "Injected kind" },
      { header: "Rows", align: "right" },
      { header: "Flagged", align: "right" },
      { header: "Recall", align: "right" },
    ],
    rows,
  );
}
