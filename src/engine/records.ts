/** Turning records (objects keyed by feature name) into rows of numbers, loudly. */

import { InputError, quote } from "./errors.js";

/**
 * Largest magnitude accepted for a feature value. Squares of larger values overflow
 * 64-bit floats, so distances could no longer be compared.
 */
export const MAX_MAGNITUDE = 1e150;

/** Returns why `value` is unusable for a feature, or undefined when it is fine. */
export function valueProblem(value: number, period = 0): string | undefined {
  if (!Number.isFinite(value)) return "expected a finite number";
  if (Math.abs(value) > MAX_MAGNITUDE) return `expected a magnitude of at most ${MAX_MAGNITUDE}`;
  if (period > 0 && (value < 0 || value > period)) {
    return `expected a value from 0 to ${period}, because the feature is cyclic`;
  }
  return undefined;
}

/**
 * Copies the features of `record` into `out[offset..]`, in `names` order.
 *
 * @param where prefix for messages, such as "row 12" (empty for a single record)
 * @throws InputError naming the feature when one is missing or not a finite number;
 *   numeric strings are rejected too, because nothing is coerced silently.
 */
export function readFeatures(
  record: unknown,
  names: readonly string[],
  out: Float64Array,
  offset: number,
  where = "",
  periods?: ArrayLike<number>,
): void {
  const prefix = where ? `${where}: ` : "";
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new InputError(`${prefix}expected an object of feature values, received ${quote(record)}`, {
      value: String(record),
    });
  }
  const values = record as Record<string, unknown>;
  for (let k = 0; k < names.length; k++) {
    const name = names[k];
    const value = values[name];
    if (value === undefined || value === null) {
      throw new InputError(`${prefix}feature "${name}" is missing`, { field: name });
    }
    const problem = typeof value === "number" ? valueProblem(value, periods?.[k]) : "expected a finite number";
    if (problem === undefined) {
      out[offset + k] = value as number;
      continue;
    }
    throw new InputError(`${prefix}feature "${name}": ${problem}, received ${quote(value)}`, {
      field: name,
      value: String(value),
    });
  }
}

/** Reads many records into one row-major matrix; messages count rows from 1. */
export function readMatrix(
  records: readonly unknown[],
  names: readonly string[],
  periods?: ArrayLike<number>,
): Float64Array {
  const dims = names.length;
  const out = new Float64Array(records.length * dims);
  for (let i = 0; i < records.length; i++) {
    readFeatures(records[i], names, out, i * dims, `row ${i + 1}`, periods);
  }
  return out;
}

/** Checks that a typed matrix contains only usable numbers; names the first bad cell. */
export function checkMatrix(
  values: Float64Array,
  rows: number,
  names: readonly string[],
  periods?: ArrayLike<number>,
): void {
  const dims = names.length;
  if (values.length < rows * dims) {
    throw new InputError(
      `expected ${rows} rows of ${dims} values (${rows * dims} numbers), received ${values.length}`,
    );
  }
  for (let i = 0; i < rows * dims; i++) {
    const problem = valueProblem(values[i], periods?.[i % dims]);
    if (problem === undefined) continue;
    const row = Math.floor(i / dims) + 1;
    const name = names[i % dims];
    throw new InputError(`row ${row}: feature "${name}": ${problem}, received ${values[i]}`, {
      field: name,
      value: String(values[i]),
    });
  }
}
