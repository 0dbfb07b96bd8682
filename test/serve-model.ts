/**
 * Small real models for the serve tests: an OrderAnomalyModel fitted on seeded orders
 * around three meal times (breakfast, lunch, dinner).
 */

import { AnomalyModel, OrderAnomalyModel } from "../src/engine/index.js";
import type { ServableModel } from "../src/serve/model-holder.js";
import { seededRandom as random } from "./helpers/random.js";

/** Meal centres: items, minutes since last order, hour, orders per day, cost, prep minutes. */
const MEALS = [
  [1.5, 1440, 8.5, 1, 9, 5],
  [3, 1440, 12.5, 1, 25, 12],
  [5, 2880, 19, 0.5, 45, 20],
];
const SPREAD = [0.5, 120, 0.5, 0.1, 3, 2];

/** Generates `rows` normal orders, a third per meal, from `seed`. */
export function trainingOrders(rows: number, seed: number): Record<string, number>[] {
  const next = random(seed);
  const names = ["items_per_order", "time_since_last_order", "order_time",
    "customer_frequency", "total_cost", "prep_time_estimate"];
  const orders: Record<string, number>[] = [];
  for (let r = 0; r < rows; r++) {
    const centre = MEALS[r % MEALS.length];
    const order: Record<string, number> = {};
    names.forEach((name, i) => {
      order[name] = centre[i] + (next() + next() + next() - 1.5) * SPREAD[i];
    });
    orders.push(order);
  }
  return orders;
}

const trained = new Map<number, ServableModel>();

/**
 * Fits a model on 300 seeded orders, once per seed: the model id covers the training
 * time, so a second fit of the same seed would get another id.
 */
export function trainModel(seed = 1): ServableModel {
  let model = trained.get(seed);
  if (!model) {
    model = new OrderAnomalyModel({ eps: 0.8, minSamples: 10 }).fit(trainingOrders(300, seed));
    trained.set(seed, model);
  }
  return model;
}

export function encodeModel(model: ServableModel): Uint8Array {
  return (model as AnomalyModel).toBytes();
}

export function decodeModel(bytes: Uint8Array): ServableModel {
  return AnomalyModel.fromBytes(bytes);
}
