/** Parsing of `--order JSON`: one object with a finite number for every model feature. */

import { UsageError, quote } from "./engine.js";

/**
 * Parses `raw` as a JSON object and checks that every feature in `features` is a finite
 * number. Throws `UsageError` naming the field for bad JSON, a missing feature or a value
 * that is not a number. Fields other than the features are kept and ignored by scoring.
 */
export function parseOrderJson(raw: string, features: readonly string[]): Record<string, unknown> {
  const expected = `expected a JSON object with a number for each of ${features.join(", ")}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(
      `invalid value ${quoteJsonArgument(raw)} for --order: not valid JSON (${expected})`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`invalid value ${quoteJsonArgument(raw)} for --order: ${expected}`);
  }
  const record = parsed as Record<string, unknown>;
  for (const feature of features) {
    if (!(feature in record)) {
      throw new UsageError(
        `invalid value for --order: missing feature ${quote(feature)} (${expected})`,
      );
    }
    const value = record[feature];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new UsageError(
        `invalid value for --order: feature ${quote(feature)} is ${quote(value)} (${expected})`,
      );
    }
  }
  return record;
}

/** Shows raw JSON in single quotes, as a shell user typed it, unless it contains one. */
function quoteJsonArgument(raw: string): string {
  return raw.includes("'") ? quote(raw) : `'${raw}'`;
}
