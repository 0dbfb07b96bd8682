/**
 * Synthetic Bob's Burgers orders with injected anomalies and their ground truth.
 *
 * Customers follow the profiles in profiles.ts on a timeline that starts at
 * 2024-01-01T00:00:00Z. The roster grows with `rows`, so from 1,000 rows up the
 * timeline spans about 50-60 days. About `anomalyRate` of the rows are injected anomalies,
 * spread evenly over the kinds in anomalies.ts. The same options always give the same
 * orders, and so byte-identical CSV.
 */

import { ParameterError } from "../engine/errors.js";
import { injectAnomaly, type RawOrder } from "./anomalies.js";
import { ANOMALY_KINDS, type AnomalyKind, type Order } from "./order.js";
import {
  PROFILES,
  makeCustomer,
  normalItems,
  orderCost,
  prepTime,
  simulateTimes,
  type Customer,
} from "./profiles.js";
import { Random } from "./random.js";

export { ORDER_CSV_COLUMNS, ANOMALY_KINDS, type Order, type AnomalyKind } from "./order.js";
export { ordersToCsv, writeOrdersCsv } from "./order-csv.js";

export interface GenerateOptions {
  /** Number of orders, at least 1. */
  rows: number;
  /** Seed of the random generator; only its low 32 bits count. */
  seed: number;
  /** Share of injected anomalies, 0 to 0.5. Default 0.05. */
  anomalyRate?: number;
}

/** Midnight UTC on the first day of the timeline. */
export const TIMELINE_START = Date.UTC(2024, 0, 1);
/** Days the roster is sized for. */
const TIMELINE_DAYS = 60;
/** Days simulated before the start, so that first orders have a previous order. */
const WARM_UP_DAYS = 10;

/**
 * Generates `rows` orders sorted by time. Each customer's `time_since_last_order` is
 * measured from their previous order. For their first order in the output it is
 * measured from their last order in a 10-day warm-up period that is simulated but not
 * returned, so it looks like any other interval and is never 0.
 * `customer_frequency` is the customer's orders in the output divided by the days
 * between their first and last order (at least 1 day), the rule `deriveFeatures` uses.
 * Time O(rows log rows).
 *
 * @throws ParameterError for rows < 1, a non-integer row count or a bad anomaly rate.
 * @example generateOrders({ rows: 3, seed: 1 }).length // 3
 */
export function generateOrders(options: GenerateOptions): Order[] {
  const { rows, seed } = options;
  const anomalyRate = options.anomalyRate ?? 0.05;
  checkOptions(rows, seed, anomalyRate);
  const rng = new Random(seed);

  const anomalyCount = Math.round(rows * anomalyRate);
  const kinds: AnomalyKind[] = [];
  for (let i = 0; i < anomalyCount; i++) kinds.push(ANOMALY_KINDS[i % ANOMALY_KINDS.length]);
  const added = kinds.filter((k) => k !== "cost_spike").length;

  const { customers, orders, lastBefore } = simulateNormalOrders(rows - added, rng);
  for (const kind of kinds) injectAnomaly(kind, orders, customers, rng);
  return finishOrders(orders, customers, lastBefore, rows);
}

function checkOptions(rows: number, seed: number, anomalyRate: number): void {
  if (!Number.isInteger(rows) || rows < 1) {
    throw new ParameterError("rows", `rows must be an integer of at least 1, received ${rows}`);
  }
  if (!Number.isFinite(seed)) {
    throw new ParameterError("seed", `seed must be a finite number, received ${seed}`);
  }
  if (!(anomalyRate >= 0 && anomalyRate <= 0.5)) {
    throw new ParameterError(
      "anomalyRate",
      `anomalyRate must be between 0 and 0.5, received ${anomalyRate}`,
    );
  }
}

/** Builds the roster and its first `count` normal orders in time order. */
function simulateNormalOrders(count: number, rng: Random) {
  const customers: Customer[] = [];
  for (const profile of PROFILES) {
    const perCustomer = profile.ordersPerDay * TIMELINE_DAYS;
    const n = Math.max(1, Math.ceil((count * profile.share) / perCustomer));
    const width = Math.max(3, String(n).length);
    for (let i = 1; i <= n; i++) {
      const name = `${profile.kind}_${String(i).padStart(width, "0")}`;
      customers.push(makeCustomer(name, profile, rng));
    }
  }

  // Simulate a little past the planned span, then keep the earliest `count` orders.
  let days = Math.ceil(TIMELINE_DAYS * 1.3);
  while (true) {
    const times: number[] = [];
    const owners: number[] = [];
    const lastBefore = new Float64Array(customers.length).fill(NaN);
    const simulation = new Random(rng.next() * 4294967296);
    customers.forEach((customer, c) => {
      const own: number[] = [];
      simulateTimes(customer, simulation, -WARM_UP_DAYS, days, own);
      for (const t of own) {
        if (t < 0) lastBefore[c] = t;
        else {
          times.push(t);
          owners.push(c);
        }
      }
    });
    if (times.length >= count) {
      const order = sortedIndex(times, owners).slice(0, count);
      const orders = order.map((i) => normalOrder(times[i], owners[i], customers, rng));
      return { customers, orders, lastBefore };
    }
    days *= 2;
  }
}

function sortedIndex(times: number[], owners: number[]): number[] {
  const index = times.map((_, i) => i);
  index.sort((a, b) => times[a] - times[b] || owners[a] - owners[b]);
  return index;
}

function normalOrder(time: number, customer: number, customers: Customer[], rng: Random): RawOrder {
  const items = normalItems(customers[customer].profile, rng);
  return {
    time,
    customer,
    items,
    cost: orderCost(items, rng),
    prep: prepTime(items, rng),
    kind: "",
  };
}

/** Sorts by time and computes the per-customer features and the output fields. */
function finishOrders(
  raw: RawOrder[],
  customers: Customer[],
  lastBefore: Float64Array,
  rows: number,
): Order[] {
  raw.sort((a, b) => a.time - b.time || a.customer - b.customer);
  const count = new Int32Array(customers.length);
  const first = new Float64Array(customers.length).fill(NaN);
  const last = new Float64Array(customers.length);
  for (const o of raw) {
    if (count[o.customer] === 0) first[o.customer] = o.time;
    count[o.customer]++;
    last[o.customer] = o.time;
  }
  const frequency = customers.map((_, c) =>
    count[c] === 0 ? 0 : count[c] / Math.max((last[c] - first[c]) / 86400, 1),
  );

  const previous = Float64Array.from(lastBefore);
  const width = Math.max(5, String(rows - 1).length);
  return raw.map((o, i) => {
    const prev = previous[o.customer];
    // Two orders of one customer in the same second (an injected anomaly landing on a
    // normal order) would give an interval of 0; move the later one by a second.
    if (o.time <= prev) o.time = prev + 1;
    previous[o.customer] = o.time;
    const order: Order = {
      order_id: `ORD_${String(i).padStart(width, "0")}`,
      customer: customers[o.customer].name,
      items_per_order: o.items,
      time_since_last_order: (o.time - prev) / 60,
      order_time: (((o.time % 86400) + 86400) % 86400) / 3600,
      customer_frequency: frequency[o.customer],
      total_cost: o.cost,
      prep_time_estimate: o.prep,
      timestamp: isoSeconds(TIMELINE_START + o.time * 1000),
      injected_anomaly: o.kind === "" ? 0 : 1,
      anomaly_kind: o.kind,
    };
    return order;
  });
}

/** `2024-01-03T12:30:00Z`: ISO 8601 in UTC to the second. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}
