/**
 * Customer profiles of the synthetic Bob's Burgers orders: how often, when and how much
 * each kind of customer orders. Times are seconds since the start of the timeline, and
 * hours are UTC hours of day.
 */

import type { Random } from "./random.js";

export type ProfileKind = "regular" | "chaotic" | "late_night" | "weird" | "occasional";

export interface Profile {
  kind: ProfileKind;
  /** Share of the normal orders that customers of this profile place. */
  share: number;
  /** Expected orders per day of one customer, used to size the roster. */
  ordersPerDay: number;
  /** Hour ranges [from, to) in which these customers order; to may pass 24. */
  busyHours: readonly (readonly [number, number])[];
  /** Smallest and largest items of a normal order. */
  items: readonly [number, number];
}

/**
 * The five profiles. Every one is consistent over time, so each forms a dense pattern
 * of its own. "weird" is unusual (a large mid-afternoon order every second day) but
 * harmless, and must not be flagged.
 */
export const PROFILES: readonly Profile[] = Object.freeze([
  // Lunch, dinner or both every day, 1-4 items.
  {
    kind: "regular",
    share: 0.4,
    ordersPerDay: 1.45,
    busyHours: [[11, 14], [17, 20.5]],
    items: [1, 4],
  },
  // 1-4 orders a day at any time from 10:00 to 22:30, 1-8 items.
  { kind: "chaotic", share: 0.2, ordersPerDay: 2.5, busyHours: [[9.5, 23]], items: [1, 8] },
  // One order most nights between 22:00 and 02:00, 2-5 items.
  { kind: "late_night", share: 0.14, ordersPerDay: 0.85, busyHours: [[22, 26]], items: [2, 5] },
  // 8-10 items at 15:00-15:30 on every second day.
  { kind: "weird", share: 0.11, ordersPerDay: 0.5, busyHours: [[14.5, 16]], items: [8, 10] },
  // Dinner every 5 to 8 days, 3-6 items.
  { kind: "occasional", share: 0.15, ordersPerDay: 0.154, busyHours: [[17, 21]], items: [3, 6] },
]);

export interface Customer {
  name: string;
  profile: Profile;
  /** Preferred hours and the probability of ordering in each meal slot, per customer. */
  lunchHour: number;
  dinnerHour: number;
  lunchChance: number;
  dinnerChance: number;
  /** Day parity of "weird" customers and start offset of occasional ones. */
  phase: number;
}

export function makeCustomer(name: string, profile: Profile, rng: Random): Customer {
  return {
    name,
    profile,
    lunchHour: rng.uniform(11.75, 13.25),
    dinnerHour: rng.uniform(18, 19.5),
    lunchChance: rng.uniform(0.6, 0.85),
    dinnerChance: rng.uniform(0.6, 0.85),
    phase: rng.next(),
  };
}

const DAY = 86400;
const HOUR = 3600;

/** Returns the time on `day` at `hour` (which may pass 24), in whole seconds. */
function at(day: number, hour: number): number {
  return Math.round(day * DAY + hour * HOUR);
}

/**
 * Appends the order times of `customer` from `fromDay` (may be negative) to `toDay`
 * (exclusive), in increasing order.
 */
export function simulateTimes(customer: Customer, rng: Random, fromDay: number, toDay: number,
  out: number[]): void {
  switch (customer.profile.kind) {
    case "regular":
      return simulateRegular(customer, rng, fromDay, toDay, out);
    case "chaotic":
      return simulateChaotic(rng, fromDay, toDay, out);
    case "late_night":
      return simulateLateNight(customer, rng, fromDay, toDay, out);
    case "weird":
      return simulateWeird(customer, rng, fromDay, toDay, out);
    case "occasional":
      return simulateOccasional(customer, rng, fromDay, toDay, out);
  }
}

function simulateRegular(c: Customer, rng: Random, from: number, to: number, out: number[]): void {
  for (let day = from; day < to; day++) {
    let lunch = rng.chance(c.lunchChance);
    const dinner = rng.chance(c.dinnerChance);
    if (!lunch && !dinner) lunch = true; // a regular orders every day
    if (lunch) out.push(at(day, c.lunchHour + 0.3 * rng.normal()));
    if (dinner) out.push(at(day, c.dinnerHour + 0.3 * rng.normal()));
  }
}

function simulateChaotic(rng: Random, from: number, to: number, out: number[]): void {
  for (let day = from; day < to; day++) {
    const count = rng.int(1, 4);
    const hours: number[] = [];
    for (let k = 0; k < count; k++) hours.push(rng.uniform(10, 22.5));
    hours.sort((a, b) => a - b);
    let last = -Infinity;
    for (const hour of hours) {
      if (hour - last < 0.75) continue; // at least 45 minutes apart
      out.push(at(day, hour));
      last = hour;
    }
  }
}

function simulateLateNight(
  c: Customer,
  rng: Random,
  from: number,
  to: number,
  out: number[],
): void {
  const center = 23 + 1.5 * c.phase;
  let skipped = false;
  for (let day = from; day < to; day++) {
    if (!skipped && rng.chance(0.15)) {
      skipped = true; // at most one night off in a row
      continue;
    }
    skipped = false;
    const hour = Math.min(25.9, Math.max(22, center + 0.4 * rng.normal()));
    out.push(at(day, hour));
  }
}

function simulateWeird(c: Customer, rng: Random, from: number, to: number, out: number[]): void {
  const parity = c.phase < 0.5 ? 0 : 1;
  for (let day = from; day < to; day++) {
    if (((day % 2) + 2) % 2 !== parity) continue;
    out.push(at(day, 15 + rng.uniform(0, 0.5)));
  }
}

function simulateOccasional(
  c: Customer,
  rng: Random,
  from: number,
  to: number,
  out: number[],
): void {
  for (let day = from + Math.floor(c.phase * 6); day < to; day += rng.int(5, 8)) {
    out.push(at(day, rng.uniform(17.5, 20.5)));
  }
}

/** Items of a normal order, favouring small orders within the profile's range. */
export function normalItems(profile: Profile, rng: Random): number {
  const [min, max] = profile.items;
  if (profile.kind === "regular") return rng.pick([1, 1, 2, 2, 2, 3, 3, 4]);
  return rng.int(min, max);
}

/** Order total in dollars: $6-12 per item on average for the order, rounded to cents. */
export function orderCost(items: number, rng: Random): number {
  return Math.round(items * rng.uniform(6, 12) * 100) / 100;
}

/** Kitchen time in minutes: 3 minutes plus 4 per item, within ±15%, to 0.1 minute. */
export function prepTime(items: number, rng: Random): number {
  return Math.round((3 + 4 * items) * rng.uniform(0.85, 1.15) * 10) / 10;
}

/** True when `hour` (0-24) falls within the profile's busy hours widened by `margin`. */
export function isBusyHour(profile: Profile, hour: number, margin: number): boolean {
  for (const [from, to] of profile.busyHours) {
    for (const h of [hour, hour + 24]) {
      if (h >= from - margin && h < to + margin) return true;
    }
  }
  return false;
}
