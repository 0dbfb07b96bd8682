/**
 * Behavioural features derived from raw events, for logs that carry only an entity id
 * (user, service, card), a timestamp and some numeric fields. For each event:
 *
 * - interval: minutes since the same entity's previous event in time order. The first
 *   event of an entity has no previous event, so its interval is null (an empty CSV
 *   cell), never 0. Two events of one entity at the same instant have interval 0.
 * - frequency: the entity's events per day, its event count divided by the days between
 *   its first and last event, at least 1 day. So an entity with a single event, or with
 *   all its events within one day, has a frequency equal to its event count.
 * - hour: the local hour of day (decimal, 13.5 for 13:30) in the given IANA time zone,
 *   with the zone's daylight-saving rules applied.
 *
 * Events may arrive out of time order: each entity's events are sorted by time (ties
 * keep input order), and the output keeps the input order.
 */

import { InputError, quote } from "../engine/errors.js";
import { ZonedClock, parseTimestamp, type EpochUnit } from "./time.js";

/** Output names of the three derived features. */
export interface DerivedNames {
  interval: string;
  frequency: string;
  hour: string;
}

export const DEFAULT_DERIVED_NAMES: Readonly<DerivedNames> = Object.freeze({
  interval: "time_since_last_event",
  frequency: "events_per_day",
  hour: "hour_of_day",
});

/** The names that reproduce the Bob's Burgers order features. */
export const ORDER_DERIVED_NAMES: Readonly<DerivedNames> = Object.freeze({
  interval: "time_since_last_order",
  frequency: "customer_frequency",
  hour: "order_time",
});

export interface DeriveOptions {
  /** Column with the entity id. */
  entity: string;
  /** Column with the timestamp: ISO 8601, or epoch seconds or milliseconds. */
  time: string;
  /** IANA time zone for the hour of day. Default "UTC". */
  timeZone?: string;
  /** Columns copied unchanged to the output, after the entity and time columns. */
  keep?: readonly string[];
  /** Unit of plain numbers in the time column. Default "auto". */
  epochUnit?: EpochUnit;
  /** Output names of the derived features. Default DEFAULT_DERIVED_NAMES. */
  names?: Partial<DerivedNames>;
  /** Name of the input in error messages, such as a file path. Default "events". */
  source?: string;
  /** Line of each event in `source`, for error messages. Default: event numbers from 1. */
  lines?: ArrayLike<number>;
}

/** The derived features of n events, in input order. `interval` is NaN for a first event. */
export interface DerivedColumns {
  interval: Float64Array;
  frequency: Float64Array;
  hour: Float64Array;
}

export type DerivedEvent = Record<string, unknown>;

/**
 * Derives interval, frequency and hour of day for each event, and returns one output
 * record per event in input order: the entity and time values as given, the `keep`
 * columns, then the derived features under `names`. O(n log n).
 *
 * @throws InputError naming the event (or file and line) for a missing entity id or a
 *   missing or invalid timestamp; ParameterError for an unknown time zone.
 * @example
 * deriveFeatures([{ user: "a", ts: "2024-03-31T00:30:00Z" },
 *   { user: "a", ts: "2024-03-31T01:30:00Z" }], { entity: "user", time: "ts",
 *   timeZone: "Europe/London" })
 * // second event: time_since_last_event 60, events_per_day 2, hour_of_day 2.5
 */
export function deriveFeatures(
  events: readonly Record<string, unknown>[],
  options: DeriveOptions,
): DerivedEvent[] {
  const clock = new ZonedClock(options.timeZone ?? "UTC");
  const names = { ...DEFAULT_DERIVED_NAMES, ...options.names };
  const entities: string[] = [];
  const times = new Float64Array(events.length);
  events.forEach((event, i) => {
    const place = placeOf(options, i);
    entities.push(readEntity(event[options.entity], place, options.entity));
    times[i] = readTime(event[options.time], place, options.time, options.epochUnit);
  });

  const derived = computeDerived(entities, times, clock);
  return events.map((event, i) => {
    const out: DerivedEvent = {
      [options.entity]: event[options.entity],
      [options.time]: event[options.time],
    };
    for (const column of options.keep ?? []) out[column] = event[column] ?? null;
    const interval = derived.interval[i];
    out[names.interval] = Number.isNaN(interval) ? null : interval;
    out[names.frequency] = derived.frequency[i];
    out[names.hour] = derived.hour[i];
    return out;
  });
}

/**
 * Computes the derived features on columns: `entities[i]` and `times[i]` (epoch ms) of
 * event i. Time O(n log n), memory O(n).
 */
export function computeDerived(
  entities: readonly string[],
  times: Float64Array,
  clock: ZonedClock,
): DerivedColumns {
  const n = entities.length;
  const interval = new Float64Array(n).fill(NaN);
  const frequency = new Float64Array(n);
  const hour = new Float64Array(n);

  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const group = groups.get(entities[i]);
    if (group) group.push(i);
    else groups.set(entities[i], [i]);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => times[a] - times[b] || a - b);
    const spanDays = (times[group[group.length - 1]] - times[group[0]]) / 86400000;
    const perDay = group.length / Math.max(spanDays, 1);
    for (let k = 0; k < group.length; k++) {
      const i = group[k];
      if (k > 0) interval[i] = (times[i] - times[group[k - 1]]) / 60000;
      frequency[i] = perDay;
    }
  }
  for (let i = 0; i < n; i++) hour[i] = clock.hourOfDay(times[i]);
  return { interval, frequency, hour };
}

/** Origin of an event (source name and line), for error messages. */
export interface EventPlace {
  source: string;
  /** Line in the source file, when the events came from a file. */
  line?: number;
  /** 0-based position of the event in the input. */
  index: number;
}

function placeOf(options: Pick<DeriveOptions, "source" | "lines">, index: number): EventPlace {
  const source = options.source ?? "events";
  return options.lines ? { source, line: options.lines[index], index } : { source, index };
}

/** `events.csv:12` for an event with a line, else `events: event 12`. */
function prefix(place: EventPlace): string {
  return place.line === undefined
    ? `${place.source}: event ${place.index + 1}`
    : `${place.source}:${place.line}`;
}

function badValue(place: EventPlace, column: string, what: string, value: string): InputError {
  return new InputError(`${prefix(place)}: column ${quote(column)}: ${what}`, {
    file: place.source,
    ...(place.line === undefined ? {} : { line: place.line }),
    field: column,
    value,
  });
}

/** Returns the entity id as a string, or throws for a missing one. */
export function readEntity(value: unknown, place: EventPlace, column: string): string {
  const text = value === undefined || value === null ? "" : String(value);
  if (text.trim() === "") {
    throw badValue(place, column, "missing value (expected an entity id)", text);
  }
  return text;
}

/** Returns epoch milliseconds, or throws for a missing or invalid timestamp. */
export function readTime(value: unknown, place: EventPlace, column: string,
  unit?: EpochUnit): number {
  const text = value === undefined || value === null ? "" : String(value);
  if (text.trim() === "") {
    throw badValue(place, column, "missing value (expected a timestamp)", text);
  }
  const ms = parseTimestamp(value, unit);
  if (Number.isNaN(ms)) {
    throw badValue(
      place,
      column,
      `invalid timestamp ${quote(text)} ` +
        "(expected ISO 8601 such as 2024-03-31T01:30:00Z, or epoch seconds or milliseconds)",
      text,
    );
  }
  return ms;
}
