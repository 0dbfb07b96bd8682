/**
 * Detection quality with default settings, nothing tuned per data set:
 * precision, recall and F1 of the flags on generated orders (ground truth injected),
 * and ROC-AUC and average precision of the score on the labelled ODDS sets.
 *
 *   npm run bench:quality
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CsvDataSource } from "../src/data/csv.js";
import { generateOrders } from "../src/data/generator.js";
import {
  AnomalyModel,
  OrderAnomalyModel,
  ORDER_FEATURE_NAMES,
  averagePrecision,
  flagQuality,
  rocAuc,
  type ModelOptions,
} from "../src/engine/index.js";

const FIXTURES = fileURLToPath(new URL("../../shared/fixtures/", import.meta.url));

/** Reference ROC-AUC / AP from scikit-learn 1.2.1, as published beside the ODDS files. */
const REFERENCE: Record<string, Record<string, [number, number]>> = {
  thyroid: { IsolationForest: [0.975, 0.468], "LOF k=20": [0.673, 0.075], "kNN k=10": [0.964, 0.343], "DBSCAN nearest core": [0.807, 0.301] },
  mammography: { IsolationForest: [0.864, 0.221], "LOF k=20": [0.72, 0.09], "kNN k=10": [0.848, 0.168], "DBSCAN nearest core": [0.656, 0.131] },
  smtp: { IsolationForest: [0.9, 0.004], "LOF k=20": [0.832, 0.006], "kNN k=10": [0.93, 0.285], "DBSCAN nearest core": [0.842, 0.365] },
};

const settings: { name: string; options: ModelOptions }[] = [
  { name: "defaults", options: {} },
  { name: "eps 0.8 fixed", options: { eps: 0.8 } },
];

console.log("Generated orders: flags against injected anomalies");
for (const rows of [1000, 10000, 100000]) {
  const orders = generateOrders({ rows, seed: 42 });
  const truth = orders.map((o) => o.injected_anomaly);
  const values = new Float64Array(rows * ORDER_FEATURE_NAMES.length);
  orders.forEach((o, i) =>
    ORDER_FEATURE_NAMES.forEach((name, k) => (values[i * ORDER_FEATURE_NAMES.length + k] = o[name as keyof typeof o] as number)),
  );
  for (const { name, options } of settings) {
    const started = performance.now();
    const model = new OrderAnomalyModel(options).fitMatrix(values, rows);
    const seconds = (performance.now() - started) / 1000;
    const flags = model.scoreMatrix(values, rows);
    const q = flagQuality(flags.isAnomaly, truth);
    const auc = rocAuc(flags.score, truth);
    console.log(
      `  ${String(rows).padStart(6)} rows, ${name.padEnd(14)} eps ${model.eps.toFixed(3)}: ` +
        `precision ${q.precision.toFixed(3)} recall ${q.recall.toFixed(3)} F1 ${q.f1.toFixed(3)} ` +
        `ROC-AUC ${auc.toFixed(3)} (${model.summary.clusters} clusters, fit ${seconds.toFixed(2)} s)`,
    );
  }
}

console.log("\nODDS sets: score ranking against labels (every row scored by a model fitted on all rows)");
for (const file of ["thyroid", "mammography", "smtp"]) {
  const path = join(FIXTURES, "odds", `${file}.csv`);
  const header = await new CsvDataSource(path).header();
  const features = header.filter((h) => h !== "label");
  const data = await new CsvDataSource(path).loadMatrix([...features, "label"]);
  const dims = features.length;
  const values = new Float64Array(data.rows * dims);
  const truth = new Uint8Array(data.rows);
  for (let i = 0; i < data.rows; i++) {
    for (let k = 0; k < dims; k++) values[i * dims + k] = data.values[i * (dims + 1) + k];
    truth[i] = data.values[i * (dims + 1) + dims];
  }
  for (const { name, options } of settings) {
    const started = performance.now();
    const model = new AnomalyModel({ ...options, features }).fitMatrix(values, data.rows);
    const seconds = (performance.now() - started) / 1000;
    const scores = model.scoreMatrix(values, data.rows).score;
    console.log(
      `  ${file.padEnd(12)} ${name.padEnd(14)} eps ${model.eps.toFixed(3)}: ROC-AUC ${rocAuc(scores, truth).toFixed(3)} ` +
        `AP ${averagePrecision(scores, truth).toFixed(3)} (${model.summary.clusters} clusters, ` +
        `${model.summary.noise} noise, fit ${seconds.toFixed(2)} s)`,
    );
  }
  const best = Object.entries(REFERENCE[file])
    .map(([method, [auc, ap]]) => `${method} ${auc.toFixed(3)}/${ap.toFixed(3)}`)
    .join(", ");
  console.log(`  ${" ".repeat(12)} reference ROC-AUC/AP: ${best}`);
}
