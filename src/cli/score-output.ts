/** Writing scores in the formats of `sigh score`: table, json, ndjson and csv. */

import type { CliIo } from "./command.js";
import type { AnomalyModel, BatchScores, Deviation, ScoreResult } from "./engine.js";
import { write, writeLines } from "./output.js";
import { ProgressBar } from "./progress.js";
import { renderExplanation, topDeviations } from "./render/explanation.js";
import { formatNumber, formatShare, plural } from "./render/format.js";
import { printable, renderTable } from "./render/table.js";

export const SCORE_FORMATS = ["table", "json", "ndjson", "csv"] as const;
export type ScoreFormat = (typeof SCORE_FORMATS)[number];

/** Rows to score: a row-major matrix in model feature order, with optional ids. */
export interface ScoreInput {
  values: Float64Array;
  rows: number;
  ids?: string[];
  idField?: string;
  /** True for one --order object: json prints an object instead of an array. */
  single: boolean;
}

/** Rows scored per `scoreMatrix` call, so the progress bar can move. */
const CHUNK_ROWS = 8192;
/** The table format lists every row up to this count, and only anomalies beyond it. */
const TABLE_ALL_ROWS = 50;
/** The table format explains at most this many anomalies. */
const TABLE_EXPLAINED = 20;

export async function writeScores(
  format: ScoreFormat,
  model: AnomalyModel,
  input: ScoreInput,
  io: CliIo,
): Promise<void> {
  switch (format) {
    case "json":
      return writeJson(model, input, io);
    case "ndjson":
      return writeLines(io.stdout, withProgress(input, io, (i) =>
        JSON.stringify(scoreRow(model, input, i))));
    case "csv":
      return writeCsv(model, input, scoreAll(model, input, io), io);
    case "table":
      return writeTable(model, input, scoreAll(model, input, io), io);
  }
}

/** Scores row `i` with `score()`, which includes the full explanation. */
function scoreRow(model: AnomalyModel, input: ScoreInput, i: number): ScoreResult {
  return model.score(recordOf(model, input.values, i));
}

function recordOf(model: AnomalyModel, values: Float64Array, i: number): Record<string, number> {
  const d = model.featureNames.length;
  const record: Record<string, number> = {};
  model.featureNames.forEach((name, k) => (record[name] = values[i * d + k]));
  return record;
}

function* mapRows<T>(input: ScoreInput, map: (i: number) => T): Generator<T> {
  for (let i = 0; i < input.rows; i++) yield map(i);
}

/** Maps every row like `mapRows`, drawing a progress bar for the per-row `score()` path. */
function* withProgress(
  input: ScoreInput,
  io: CliIo,
  map: (i: number) => string,
): Generator<string> {
  const bar = new ProgressBar(io.stderr, { label: "scoring", tty: io.stderrIsTTY });
  for (let i = 0; i < input.rows; i++) {
    yield map(i);
    if ((i + 1) % 1024 === 0) bar.update(i + 1, input.rows);
  }
  bar.update(input.rows, input.rows);
  bar.finish();
}

async function writeJson(model: AnomalyModel, input: ScoreInput, io: CliIo): Promise<void> {
  if (input.single) {
    await write(io.stdout, JSON.stringify(scoreRow(model, input, 0), null, 2) + "\n");
    return;
  }
  if (input.rows === 0) {
    await write(io.stdout, "[]\n");
    return;
  }
  const last = input.rows - 1;
  const items = withProgress(input, io, (i) =>
    "  " + JSON.stringify(scoreRow(model, input, i)) + (i < last ? "," : ""));
  await writeLines(io.stdout, (function* () {
    yield "[";
    yield* items;
    yield "]";
  })());
}

/** Scores all rows with the batch path, chunk by chunk, with a progress bar on stderr. */
function scoreAll(model: AnomalyModel, input: ScoreInput, io: CliIo): BatchScores {
  const d = model.featureNames.length;
  const bar = new ProgressBar(io.stderr, { label: "scoring", tty: io.stderrIsTTY });
  const all: BatchScores = {
    count: input.rows,
    isAnomaly: new Uint8Array(input.rows),
    cluster: new Int32Array(input.rows),
    nearestCluster: new Int32Array(input.rows),
    distance: new Float64Array(input.rows),
    score: new Float64Array(input.rows),
  };
  for (let start = 0; start < input.rows; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, input.rows - start);
    const part = model.scoreMatrix(input.values.subarray(start * d, (start + rows) * d), rows);
    all.isAnomaly.set(part.isAnomaly, start);
    all.cluster.set(part.cluster, start);
    all.nearestCluster.set(part.nearestCluster, start);
    all.distance.set(part.distance, start);
    all.score.set(part.score, start);
    bar.update(start + rows, input.rows);
  }
  bar.finish();
  return all;
}

/** Explains row `i` and returns its top deviation, as `topDeviations` ranks them. */
function topDeviation(model: AnomalyModel, input: ScoreInput, i: number): Deviation | undefined {
  const d = model.featureNames.length;
  return topDeviations(model.explain(input.values.subarray(i * d, i * d + d)), 1)[0];
}

export const CSV_COLUMNS = [
  "isAnomaly", "cluster", "clusterName", "score", "distance",
  "topFeature", "topLevel", "topDiffPct",
] as const;

async function writeCsv(
  model: AnomalyModel,
  input: ScoreInput,
  scores: BatchScores,
  io: CliIo,
): Promise<void> {
  const idColumn = input.ids ? [input.idField ?? "id"] : [];
  const header = [...idColumn, ...CSV_COLUMNS].map(csvCell).join(",");
  const line = (i: number): string => {
    const anomaly = scores.isAnomaly[i] === 1;
    const top = anomaly ? topDeviation(model, input, i) : undefined;
    const cells = [
      ...(input.ids ? [input.ids[i]] : []),
      anomaly ? "true" : "false",
      String(scores.cluster[i]),
      model.clusterName(scores.cluster[i]),
      String(scores.score[i]),
      String(scores.distance[i]),
      top?.feature ?? "",
      top?.level ?? "",
      top?.diffPct === null || top === undefined ? "" : String(top.diffPct),
    ];
    return cells.map(csvCell).join(",");
  };
  await writeLines(io.stdout, (function* () {
    yield header;
    yield* mapRows(input, line);
  })());
}

/** Quotes a CSV cell when it contains a comma, a quote or a line break (RFC 4180). */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeTable(
  model: AnomalyModel,
  input: ScoreInput,
  scores: BatchScores,
  io: CliIo,
): Promise<void> {
  if (input.single) {
    await write(io.stdout, renderExplanation(scoreRow(model, input, 0), model) + "\n");
    return;
  }
  const anomalies = [...scores.isAnomaly.keys()].filter((i) => scores.isAnomaly[i] === 1);
  const listed = input.rows <= TABLE_ALL_ROWS ? [...scores.isAnomaly.keys()] : anomalies;
  const label = (i: number) => printable(input.ids?.[i] ?? `row ${i + 1}`);
  const out: string[] = [
    `Scored ${plural(input.rows, "row")}: ${plural(anomalies.length, "anomaly", "anomalies")} ` +
      `(${formatShare(input.rows ? anomalies.length / input.rows : 0)})`,
    "",
  ];
  if (listed.length) {
    const rows = listed.map((i) => [
      label(i),
      scores.isAnomaly[i] ? "🚨 anomaly" : "normal",
      String(scores.cluster[i]),
      model.clusterName(scores.cluster[i]),
      formatNumber(scores.score[i]),
      formatNumber(scores.distance[i]),
    ]);
    out.push(renderTable([
      { header: input.ids ? (input.idField ?? "id") : "Row" },
      { header: "Result" },
      { header: "Cluster", align: "right" },
      { header: "Cluster name" },
      { header: "Score", align: "right" },
      { header: "Distance", align: "right" },
    ], rows), "");
    if (listed.length < input.rows) out.push("  (normal rows are not listed)", "");
  }
  for (const i of anomalies.slice(0, TABLE_EXPLAINED)) {
    out.push(`${label(i)}:`, renderExplanation(scoreRow(model, input, i), model), "");
  }
  if (anomalies.length > TABLE_EXPLAINED) {
    out.push(`(${anomalies.length - TABLE_EXPLAINED} more anomalies: use --format json for all)`);
  }
  await writeLines(io.stdout, out);
}
