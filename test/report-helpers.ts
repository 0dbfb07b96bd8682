/** Shared inputs of the report tests: fixture data loaded and a model fitted on it. */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CsvDataSource } from "../src/data/csv.js";
import { AnomalyModel, ORDER_FEATURE_NAMES, OrderAnomalyModel } from "../src/engine/index.js";

/** The shared fixtures folder, found from this file so tests run from any folder. */
export const FIXTURES = fileURLToPath(new URL("../../shared/fixtures/", import.meta.url));
export const ORDERS_CSV = join(FIXTURES, "original-orders", "bobs_burgers_orders.csv");
export const MAMMOGRAPHY_CSV = join(FIXTURES, "odds", "mammography.csv");
export const MAMMOGRAPHY_FEATURES = ["f0", "f1", "f2", "f3", "f4", "f5"];

export interface Fitted {
  model: AnomalyModel;
  values: Float64Array;
  rows: number;
  features: string[];
  ids?: string[];
}

/** Loads the 1,000 original orders and fits a model with eps 0.8 and minSamples 10. */
export async function fittedOrders(): Promise<Fitted> {
  const data = await new CsvDataSource(ORDERS_CSV).loadMatrix(ORDER_FEATURE_NAMES, {
    idField: "order_id",
  });
  const model = new OrderAnomalyModel({ eps: 0.8, minSamples: 10 }).fitMatrix(data.values, data.rows);
  return { model, values: data.values, rows: data.rows, features: data.features, ids: data.ids };
}

/** ODDS mammography: features f0..f5 only; the `label` column is never loaded. */
export async function fittedMammography(): Promise<Fitted> {
  const data = await new CsvDataSource(MAMMOGRAPHY_CSV).loadMatrix(MAMMOGRAPHY_FEATURES);
  const model = new AnomalyModel({ features: MAMMOGRAPHY_FEATURES }).fitMatrix(data.values, data.rows);
  return { model, values: data.values, rows: data.rows, features: data.features };
}

/** Creates an empty folder under the system's temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sigh-${prefix}-`));
}
