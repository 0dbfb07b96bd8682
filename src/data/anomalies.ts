/**
 * The anomalies the generator injects. Each kind is far from every normal profile in
 * the six scaled order features, and each draws its values from wide ranges so that
 * anomalies of one kind stay sparse and do not form a dense pattern of their own.
 *
 * Every added order comes from the customer of a random normal order (the anchor) and
 * follows it within a day, so the interval of the customer's next normal order shrinks
 * by hours at most and that order stays normal.
 *
 * - massive_order: 25-80 items, 1-10 hours after the anchor, at an hour at least 1 hour
 *   away from the customer's usual hours.
 * - rapid_repeat: 12-60 items, 0.5-3 minutes after the anchor.
 * - cost_spike: the anchor itself, its cost raised 5-10 times and to at least a random
 *   $200-1500, with items and prep time unchanged.
 * - odd_hour: 10-50 items at 02:00-07:00 the night after the anchor, from a customer
 *   who orders in the daytime.
 *
 * Added orders cost $6-12 per item like normal ones; their prep time is 5 minutes plus
 * 2-6 per item, because large orders are cooked in batches.
 */

import type { AnomalyKind } from "./order.js";
import { isBusyHour, orderCost, type Customer } from "./profiles.js";
import type { Random } from "./random.js";

/** An order before its features are computed; `time` is in seconds since the start. */
export interface RawOrder {
  time: number;
  customer: number;
  items: number;
  cost: number;
  prep: number;
  kind: AnomalyKind | "";
}

const DAY = 86400;
const HOUR = 3600;

/** Adds one anomaly of `kind` to `orders`, anchored on a random normal order. */
export function injectAnomaly(
  kind: AnomalyKind,
  orders: RawOrder[],
  customers: readonly Customer[],
  rng: Random,
): void {
  const anchor = pickAnchor(kind, orders, customers, rng);
  const profile = customers[anchor.customer].profile;
  const day = Math.floor(anchor.time / DAY);

  switch (kind) {
    case "cost_spike": {
      const spiked = anchor.cost * rng.uniform(5, 10);
      anchor.cost = Math.round(Math.max(spiked, rng.uniform(200, 1500)) * 100) / 100;
      anchor.kind = kind;
      return;
    }
    case "massive_order": {
      // 1-10 hours after the anchor, at an hour the customer never orders.
      let time = anchor.time + Math.round(rng.uniform(1, 10) * HOUR);
      for (let tries = 0; tries < 100 && isBusyHour(profile, hourOf(time), 1); tries++) {
        time = anchor.time + Math.round(rng.uniform(1, 10) * HOUR);
      }
      orders.push(added(kind, time, anchor.customer, rng.int(25, 80), rng));
      return;
    }
    case "rapid_repeat": {
      const time = anchor.time + Math.round(rng.uniform(30, 180));
      orders.push(added(kind, time, anchor.customer, rng.int(12, 60), rng));
      return;
    }
    case "odd_hour": {
      // The first night after the anchor, between 02:00 and 07:00.
      const time = (day + 1) * DAY + Math.round(rng.uniform(2, 7) * HOUR);
      orders.push(added(kind, time, anchor.customer, rng.int(10, 50), rng));
      return;
    }
  }
}

function hourOf(time: number): number {
  return (((time % DAY) + DAY) % DAY) / HOUR;
}

function added(
  kind: AnomalyKind,
  time: number,
  customer: number,
  items: number,
  rng: Random,
): RawOrder {
  const cost = orderCost(items, rng);
  return { time, customer, items, cost, prep: batchPrepTime(items, rng), kind };
}

/**
 * Kitchen time of a large order in minutes: 5 plus 2-6 per item, because large orders
 * are cooked in batches whose efficiency varies. To 0.1 minute.
 */
function batchPrepTime(items: number, rng: Random): number {
  return Math.round((5 + items * rng.uniform(2, 6)) * 10) / 10;
}

/**
 * Picks a random normal order to attach the anomaly to. Odd-hour anomalies need a
 * customer who never orders at night, so late-night customers are passed over for them.
 */
function pickAnchor(
  kind: AnomalyKind,
  orders: RawOrder[],
  customers: readonly Customer[],
  rng: Random,
): RawOrder {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const candidate = orders[rng.int(0, orders.length - 1)];
    if (candidate.kind !== "") continue;
    const profile = customers[candidate.customer].profile.kind;
    if (kind === "odd_hour" && profile === "late_night") continue;
    return candidate;
  }
  // NOTE: only reached with very few normal orders (a tiny `rows` and a high anomaly
  // rate). The fallback may then be an anomaly already or a late-night order.
  return orders[0];
}
