/** Named example orders for `sigh demo` and `sigh test-orders`. */

import type { Order } from "./data.js";

/** An order's six feature values, with the units of `Order`. */
export type OrderFeatures = Pick<
  Order,
  | "items_per_order"
  | "time_since_last_order"
  | "order_time"
  | "customer_frequency"
  | "total_cost"
  | "prep_time_estimate"
>;

export interface ExampleOrder {
  name: string;
  description: string;
  order: OrderFeatures;
}

/**
 * The production example: a rare customer orders 35 items for $380 at 22:30, 15 minutes
 * after their previous order, needing 175 minutes of preparation.
 */
export const PRODUCTION_EXAMPLE: ExampleOrder = {
  name: "the production example",
  description:
    "35 items for $380.00 at 22:30, 15 min after the previous order, from a customer " +
    "who orders 0.05 times a day; 175 min of prep",
  order: {
    items_per_order: 35,
    time_since_last_order: 15,
    order_time: 22.5,
    customer_frequency: 0.05,
    total_cost: 380,
    prep_time_estimate: 175,
  },
};

/**
 * Orders that show what the model accepts and what it flags, the production example
 * last. The normal ones sit inside the largest cluster of the default demo data
 * (1,000 orders, seed 42): a few items, about $25, daytime, 1.6 to 2.7 orders a day.
 */
export const EXAMPLE_ORDERS: readonly ExampleOrder[] = [
  {
    name: "a regular lunch",
    description: "a regular's 2 items for $18 at 12:30, half a day after their last order",
    order: {
      items_per_order: 2, time_since_last_order: 720, order_time: 12.5,
      customer_frequency: 2, total_cost: 18, prep_time_estimate: 11,
    },
  },
  {
    name: "a family dinner",
    description: "5 items for $45 at 18:30 from a customer who orders about twice a day",
    order: {
      items_per_order: 5, time_since_last_order: 1200, order_time: 18.5,
      customer_frequency: 1.8, total_cost: 45, prep_time_estimate: 22,
    },
  },
  {
    name: "a late-night mega order",
    description: "40 items for $520 at 23:45, 200 min of prep",
    order: {
      items_per_order: 40, time_since_last_order: 1500, order_time: 23.75,
      customer_frequency: 0.6, total_cost: 520, prep_time_estimate: 200,
    },
  },
  {
    name: "a rapid repeat",
    description: "the regular lunch again, 3 min after the previous order",
    order: {
      items_per_order: 2, time_since_last_order: 3, order_time: 12.55,
      customer_frequency: 2, total_cost: 18, prep_time_estimate: 11,
    },
  },
  {
    name: "a cost spike",
    description: "the regular lunch, but $240",
    order: {
      items_per_order: 2, time_since_last_order: 720, order_time: 12.5,
      customer_frequency: 2, total_cost: 240, prep_time_estimate: 11,
    },
  },
  {
    name: "a 4 AM snack",
    description: "1 item for $9 at 04:00 from a regular",
    order: {
      items_per_order: 1, time_since_last_order: 900, order_time: 4,
      customer_frequency: 2, total_cost: 9, prep_time_estimate: 5,
    },
  },
  PRODUCTION_EXAMPLE,
];
