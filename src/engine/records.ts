/** Turning records (objects keyed by feature name) into rows of numbers, loudly. */

import { InputError, quote } from "./errors.js";

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
    if (typeof value === "number" && Number.isFinite(value)) {
      out[offset + k] = value;
      continue;
    }
    if (value === undefined || value === null) {
      throw new InputError(`${prefix}feature "${name}" is missing`, { field: name });
    }
    throw new InputError(
      `${prefix}feature "${name}": expected a finite number, received ${quote(value)}`,
      { field: name, value: String(value) },
    );
  }
}

/** Reads many records into one row-major matrix; messages count rows from 1. */
export function readMatrix(records: readonly unknown[], names: readonly string[]): Float64Array {
  const dims = names.length;
  const out = new Float64Array(records.length * dims);
  for (let i = 0; i < records.length; i++) readFeatures(records[i], names, out, i * dims, `row ${i + 1}`);
  return out;
}

/** Checks that a typed matrix contains only finite numbers; names the first bad cell. */
export function checkMatrix(values: Float64Array, rows: number, names: readonly string[]): void {
  const dims = names.length;
  if (values.length < rows * dims) {
    throw new InputError(
      `expected ${rows} rows of ${dims} values (${rows * dims} numbers), received ${values.length}`,
    );
  }
  for (let i = 0; i < rows * dims; i++) {
    if (!Number.isFinite(values[i])) {
      const row = Math.floor(i / dims) + 1;
      const name = names[i % dims];
      throw new InputError(`row ${row}: feature "${name}": expected a finite number, received ${values[i]}`, {
        field: name,
        value: String(values[i]),
      });
    }
  }
}
