/** Writing orders as CSV, to a string or streamed to a file. */

import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { ORDER_CSV_COLUMNS, type Order } from "./order.js";

/** Formats one CSV line (with LF) for an order, fields in ORDER_CSV_COLUMNS order. */
function orderLine(o: Order): string {
  return (
    `${csvField(o.order_id)},${csvField(o.customer)},${o.items_per_order},` +
    `${o.time_since_last_order},${o.order_time},${o.customer_frequency},${o.total_cost},` +
    `${o.prep_time_estimate},${csvField(o.timestamp)},${o.injected_anomaly},` +
    `${csvField(o.anomaly_kind)}\n`
  );
}

/** Quotes a text field when it contains a comma, a quote or a line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Formats orders as CSV: a header line, then one LF-terminated line per order. Numbers
 * are written with JavaScript's shortest round-trip form, so they read back exactly.
 */
export function ordersToCsv(orders: readonly Order[]): string {
  const parts = [ORDER_CSV_COLUMNS.join(",") + "\n"];
  for (let start = 0; start < orders.length; start += LINES_PER_CHUNK) {
    parts.push(linesOf(orders, start));
  }
  return parts.join("");
}

/** Lines written per chunk: about 1 MiB of text. */
const LINES_PER_CHUNK = 8192;

/** Joins the CSV lines of orders[start, start + LINES_PER_CHUNK) into one flat string. */
function linesOf(orders: readonly Order[], start: number): string {
  const end = Math.min(orders.length, start + LINES_PER_CHUNK);
  const lines = new Array<string>(end - start);
  for (let i = start; i < end; i++) lines[i - start] = orderLine(orders[i]);
  return lines.join("");
}

/**
 * Streams orders as CSV to `path` (created or replaced), the same bytes as
 * `ordersToCsv`, in chunks of about 1 MiB, so large outputs never form one string.
 */
export async function writeOrdersCsv(path: string, orders: readonly Order[]): Promise<void> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => {}); // observed through the races below
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await Promise.race([once(out, "drain"), failed]);
  };
  await write(ORDER_CSV_COLUMNS.join(",") + "\n");
  for (let start = 0; start < orders.length; start += LINES_PER_CHUNK) {
    await write(linesOf(orders, start));
  }
  out.end();
  await Promise.race([once(out, "finish"), failed]);
}
