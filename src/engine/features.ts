/** Feature descriptions, and the Bob's Burgers schema that is the default. */

import { ParameterError } from "./errors.js";

/** One numeric input column of a model. */
export interface FeatureSpec {
  /** Column name in the input rows. */
  name: string;
  /** Short human label for charts and tables. */
  label?: string;
  /** Unit shown after values, such as "min" or "$". */
  unit?: string;
  /** Production signal the feature stands for, for display. */
  production?: string;
  /**
   * Period of a cyclic feature (24 for an hour of day). Distances, scaling, cluster
   * centres and explanations then wrap around: 23.5 and 0.5 are 1 apart.
   */
  period?: number;
  /** Words for a cluster whose values run high or low, used in cluster names. */
  high?: string;
  low?: string;
}

/**
 * The six Bob's Burgers order features, in the order the original project used. The
 * hour of day wraps at 24. Plain names (`ORDER_FEATURE_NAMES`) give the same columns
 * without the wrap, as the original project and scikit-learn treated them.
 */
export const ORDER_FEATURES: readonly FeatureSpec[] = Object.freeze([
  {
    name: "items_per_order",
    high: "big orders",
    low: "small orders",
    label: "Items per order",
    unit: "items",
    production: "payload or batch size",
  },
  {
    name: "time_since_last_order",
    high: "long gaps",
    low: "rapid repeats",
    label: "Time since last order",
    unit: "min",
    production: "request interval",
  },
  {
    name: "order_time",
    label: "Order time",
    unit: "h",
    production: "time-of-day usage",
    period: 24,
  },
  {
    name: "customer_frequency",
    high: "frequent customers",
    low: "rare customers",
    label: "Customer frequency",
    unit: "orders/day",
    production: "historical activity",
  },
  {
    name: "total_cost",
    high: "high spend",
    low: "low spend",
    label: "Total cost",
    unit: "$",
    production: "compute or cloud spend",
  },
  {
    name: "prep_time_estimate",
    high: "long prep",
    low: "quick prep",
    label: "Prep time estimate",
    unit: "min",
    production: "processing duration",
  },
]);

/** The order feature names, in model order. */
export const ORDER_FEATURE_NAMES: readonly string[] = ORDER_FEATURES.map((f) => f.name);

/** Accepts feature names or specs and returns specs, rejecting empty or repeated names. */
export function normalizeFeatures(features: readonly (string | FeatureSpec)[]): FeatureSpec[] {
  const specs = features.map((f) => (typeof f === "string" ? { name: f } : { ...f }));
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!spec.name || typeof spec.name !== "string") {
      throw new ParameterError("features", `feature names must be non-empty strings, received ${JSON.stringify(spec.name)}`);
    }
    if (seen.has(spec.name)) {
      throw new ParameterError("features", `feature ${JSON.stringify(spec.name)} is listed twice`);
    }
    seen.add(spec.name);
    if (spec.period !== undefined && !(Number.isFinite(spec.period) && spec.period > 0)) {
      throw new ParameterError("features", `feature ${JSON.stringify(spec.name)}: period must be a positive number, received ${spec.period}`);
    }
  }
  return specs;
}
