/** The Bob's Burgers order record and its CSV columns. */

import { ORDER_FEATURE_NAMES } from "../engine/features.js";

/** One restaurant order, as `generateOrders` makes it and `loadOrders` reads it. */
export interface Order {
  order_id: string;
  customer: string;
  items_per_order: number;
  /** Minutes since this customer's previous order. */
  time_since_last_order: number;
  /** Hour of day, decimal (12.5 is 12:30). */
  order_time: number;
  /** This customer's orders per day. */
  customer_frequency: number;
  /** Dollars. */
  total_cost: number;
  /** Minutes. */
  prep_time_estimate: number;
  /** ISO 8601 in UTC, such as `2024-01-03T12:30:00Z`. */
  timestamp: string;
  /** 1 when the generator injected this order as an anomaly, else 0. */
  injected_anomaly: 0 | 1;
  /** Kind of injected anomaly, such as "massive_order"; "" for a normal order. */
  anomaly_kind: string;
}

/** CSV columns of an order file, in the order `ordersToCsv` writes them. */
export const ORDER_CSV_COLUMNS: readonly string[] = Object.freeze([
  "order_id",
  "customer",
  ...ORDER_FEATURE_NAMES,
  "timestamp",
  "injected_anomaly",
  "anomaly_kind",
]);

/** The columns `loadOrders` needs; `injected_anomaly` and `anomaly_kind` are optional. */
export const REQUIRED_ORDER_COLUMNS: readonly string[] = ORDER_CSV_COLUMNS.slice(0, 9);

/** The anomaly kinds the generator injects. */
export const ANOMALY_KINDS = ["massive_order", "rapid_repeat", "cost_spike", "odd_hour"] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
