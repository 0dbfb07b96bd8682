/**
 * Feature derivation from a CSV event log to a CSV file or stream. The input is read in
 * chunks. Only the entity, time and kept columns of each row stay in memory, because
 * intervals need every event of an entity before any output row can be written.
 */

import { createWriteStream } from "node:fs";
import { once, type EventEmitter } from "node:events";
import { InputError, ParameterError } from "../engine/errors.js";
import { CsvDataSource } from "./csv.js";
import { MAX_SKIP_REASONS } from "./csv-errors.js";
import {
  DEFAULT_DERIVED_NAMES,
  computeDerived,
  readEntity,
  readTime,
  type DeriveOptions,
} from "./derive.js";
import { csvField } from "./order-csv.js";
import { ZonedClock } from "./time.js";

export interface DeriveCsvOptions extends Omit<DeriveOptions, "source" | "lines"> {
  /** Skip rows with a bad entity, timestamp or field count, and count them. Default false. */
  skipInvalid?: boolean;
  /**
   * Handling of each entity's first event, whose interval is unknown: "empty" writes an
   * empty interval cell (a missing value), "drop" leaves the row out. Default "empty".
   */
  firstEvent?: "empty" | "drop";
}

export interface DeriveCsvResult {
  /** Rows written, not counting the header. */
  rows: number;
  /** First events left out by `firstEvent: "drop"`. */
  dropped: number;
  skipped: number;
  skippedReasons: string[];
}

/**
 * Reads events from `input` (a path or a CsvDataSource, for example one on stdin). Writes
 * the entity, time and `keep` columns as given, plus the three derived features, to
 * `output`: a path (created or replaced) or a writable stream (not ended).
 * Rows keep their input order. Numbers are written in JavaScript's shortest round-trip
 * form.
 *
 * @throws InputError for a bad row (unless `skipInvalid`) or a column missing from the
 *   header; ParameterError for an unknown time zone or `firstEvent` value.
 */
export async function deriveCsv(
  input: string | CsvDataSource,
  output: string | NodeJS.WritableStream,
  options: DeriveCsvOptions,
): Promise<DeriveCsvResult> {
  const firstEvent = options.firstEvent ?? "empty";
  if (firstEvent !== "empty" && firstEvent !== "drop") {
    throw new ParameterError(
      "firstEvent",
      `firstEvent must be "empty" or "drop", received ${JSON.stringify(firstEvent)}`,
    );
  }
  const clock = new ZonedClock(options.timeZone ?? "UTC");
  const source =
    typeof input === "string"
      ? new CsvDataSource(input, { skipInvalid: options.skipInvalid })
      : input;
  const events = await readEvents(source, options);
  const derived = computeDerived(events.entities, events.times, clock);

  const names = { ...DEFAULT_DERIVED_NAMES, ...options.names };
  const columns = [options.entity, options.time, ...(options.keep ?? [])];
  const header = [...columns, names.interval, names.frequency, names.hour];
  let rows = 0;
  let dropped = 0;
  function* lines(): Generator<string> {
    for (let i = 0; i < events.entities.length; i++) {
      const interval = derived.interval[i];
      if (Number.isNaN(interval) && firstEvent === "drop") {
        dropped++;
        continue;
      }
      const cells = events.cells[i].map(csvField);
      cells.push(Number.isNaN(interval) ? "" : String(interval));
      cells.push(String(derived.frequency[i]), String(derived.hour[i]));
      rows++;
      yield cells.join(",");
    }
  }
  await writeLines(output, header.map(csvField).join(","), lines());
  return { rows, dropped, skipped: events.skipped, skippedReasons: events.skippedReasons };
}

interface EventColumns {
  entities: string[];
  times: Float64Array;
  /** Raw text of the output columns (entity, time, keep) per event. */
  cells: string[][];
  skipped: number;
  skippedReasons: string[];
}

async function readEvents(source: CsvDataSource, options: DeriveCsvOptions): Promise<EventColumns> {
  const name = source.name;
  const header = await source.header();
  const columns = [options.entity, options.time, ...(options.keep ?? [])];
  for (const column of columns) {
    if (!header.includes(column)) {
      throw new InputError(
        `${name}: column ${JSON.stringify(column)} not found in the header ` +
          `(columns: ${header.join(", ")})`,
        { file: name, field: column },
      );
    }
  }

  const result: EventColumns = { entities: [], times: new Float64Array(1024), cells: [],
    skipped: 0, skippedReasons: [] };
  const skip = (error: InputError): void => {
    if (!options.skipInvalid) throw error;
    result.skipped++;
    if (result.skippedReasons.length < MAX_SKIP_REASONS) result.skippedReasons.push(error.message);
  };
  const indexes = columns.map((c) => header.indexOf(c));
  const [entityIndex, timeIndex] = indexes;
  const onRow = (fields: readonly string[], line: number): void => {
    const place = { source: name, line, index: result.entities.length };
    let entity: string;
    let time: number;
    try {
      entity = readEntity(fields[entityIndex], place, options.entity);
      time = readTime(fields[timeIndex], place, options.time, options.epochUnit);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      skip(error);
      return;
    }
    const n = result.entities.length;
    if (n === result.times.length) {
      const bigger = new Float64Array(n * 2);
      bigger.set(result.times);
      result.times = bigger;
    }
    result.times[n] = time;
    result.entities.push(entity);
    result.cells.push(indexes.map((k) => fields[k]));
  };
  await source.forEachRow(onRow, skip);
  result.times = result.times.slice(0, result.entities.length);
  return result;
}

/** Writes the header and lines, LF-terminated, in chunks of about 1 MiB. */
async function writeLines(
  output: string | NodeJS.WritableStream,
  header: string,
  lines: Iterable<string>,
): Promise<void> {
  const out: NodeJS.WritableStream =
    typeof output === "string" ? createWriteStream(output) : output;
  let onError: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (onError = reject));
  failed.catch(() => {}); // observed through the races below
  out.once("error", onError);
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await Promise.race([once(out as EventEmitter, "drain"), failed]);
  };
  try {
    let chunk = header + "\n";
    for (const line of lines) {
      chunk += line + "\n";
      if (chunk.length >= 1 << 20) {
        await write(chunk);
        chunk = "";
      }
    }
    if (typeof output === "string") {
      out.end(chunk);
      await Promise.race([once(out as EventEmitter, "finish"), failed]);
    } else if (chunk.length > 0) {
      await write(chunk);
    }
  } finally {
    out.removeListener("error", onError);
  }
}
