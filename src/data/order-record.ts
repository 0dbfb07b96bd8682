/** Converts one CSV row to an `Order`, with the same checks and messages as the loaders. */

import { InputError, quote } from "../engine/errors.js";
import { ORDER_FEATURE_NAMES } from "../engine/features.js";
import { invalidNumberError } from "./csv-errors.js";
import { parseFiniteNumber } from "./numbers.js";
import type { Order } from "./order.js";

/**
 * Returns the order, or the InputError for its first bad cell. `header` must contain the
 * required order columns; the caller checks that once.
 */
export function recordToOrder(
  file: string,
  line: number,
  header: string[],
  fields: string[],
): Order | InputError {
  const cell = (name: string): string | undefined => {
    const index = header.indexOf(name);
    return index === -1 ? undefined : fields[index];
  };
  const numbers: Record<string, number> = {};
  for (const name of ORDER_FEATURE_NAMES) {
    const text = cell(name) as string;
    const value = parseFiniteNumber(text);
    if (value !== value) return invalidNumberError(file, line, name, text);
    numbers[name] = value;
  }

  const flag = cell("injected_anomaly")?.trim() ?? "0";
  if (flag !== "0" && flag !== "1") {
    return new InputError(
      `${file}:${line}: column "injected_anomaly": invalid value ${quote(flag)} (expected 0 or 1)`,
      { file, line, field: "injected_anomaly", value: flag },
    );
  }
  return {
    order_id: cell("order_id") as string,
    customer: cell("customer") as string,
    items_per_order: numbers.items_per_order,
    time_since_last_order: numbers.time_since_last_order,
    order_time: numbers.order_time,
    customer_frequency: numbers.customer_frequency,
    total_cost: numbers.total_cost,
    prep_time_estimate: numbers.prep_time_estimate,
    timestamp: cell("timestamp") as string,
    injected_anomaly: flag === "1" ? 1 : 0,
    anomaly_kind: cell("anomaly_kind") ?? "",
  };
}
