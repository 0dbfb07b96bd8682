/**
 * Publishes events to a JetStream subject with acknowledgements, keeping a bounded number
 * of publishes in flight, and converts CSV rows into JSON events.
 */

import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { InputError } from "../engine/errors.js";
import { isBlankCell, parseFiniteNumber } from "../data/numbers.js";

/** One event to publish: its JSON object and where it came from, for error messages. */
export interface SourceEvent {
  record: Record<string, unknown>;
  /** Line in the source file (the header is line 1). */
  line: number;
}

export interface PublishEventsOptions {
  subject: string;
  /** Field whose value becomes the JetStream message id, for duplicate detection. */
  idField?: string;
  /** Source name for error messages, such as the CSV path. */
  sourceName: string;
  /** Publishes awaiting their acknowledgement at most. Default 256. */
  maxInFlight?: number;
  /** Called after each acknowledged publish with the count so far. */
  onProgress?: (published: number) => void;
}

export interface PublishSummary {
  published: number;
  /** Events the stream dropped because their message id was seen within its window. */
  duplicates: number;
  /** Stream that stored the events, from the first acknowledgement. */
  stream: string | undefined;
}

/**
 * Publishes each event as JSON to `subject` and waits for every acknowledgement. Up to
 * `maxInFlight` publishes run at once; the oldest is awaited before a new one starts.
 * Throws an `InputError` naming the source, line and field for an event without an id,
 * and rethrows the first failed publish (events before it remain published).
 */
export async function publishEvents(
  js: JetStreamClient,
  events: AsyncIterable<SourceEvent>,
  options: PublishEventsOptions,
): Promise<PublishSummary> {
  const maxInFlight = options.maxInFlight ?? 256;
  const summary: PublishSummary = { published: 0, duplicates: 0, stream: undefined };
  const window: Promise<PubAck>[] = [];

  const settleOldest = async () => {
    const ack = await (window.shift() as Promise<PubAck>);
    summary.published++;
    if (ack.duplicate) summary.duplicates++;
    summary.stream ??= ack.stream;
    options.onProgress?.(summary.published);
  };

  try {
    for await (const event of events) {
      const msgID = options.idField
        ? eventId(event, options.idField, options.sourceName)
        : undefined;
      const body = JSON.stringify(event.record);
      window.push(js.publish(options.subject, body, msgID === undefined ? {} : { msgID }));
      if (window.length >= maxInFlight) await settleOldest();
    }
    while (window.length > 0) await settleOldest();
  } finally {
    // Leave no rejected promise unobserved when an error cuts the loop short.
    for (const pending of window) pending.catch(() => {});
  }
  return summary;
}

function eventId(event: SourceEvent, idField: string, sourceName: string): string {
  const value = event.record[idField];
  if ((typeof value === "string" && value !== "") || typeof value === "number") {
    return String(value);
  }
  throw new InputError(
    `${sourceName}:${event.line}: column "${idField}": missing event id ` +
      "(every event needs an id for duplicate detection; fix the row or set --id-field)",
    { file: sourceName, line: event.line, field: idField, value: String(value ?? "") },
  );
}

/**
 * Converts one CSV row to an event: cells that are decimal numbers become JSON numbers,
 * blank cells become null, everything else stays a string. The id column always stays a
 * string, so ids such as "007" keep their leading zeros.
 */
export function csvRowToEvent(
  fields: Record<string, string>,
  idField: string | undefined,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [column, text] of Object.entries(fields)) {
    if (column === idField) {
      record[column] = text.trim();
    } else if (isBlankCell(text)) {
      record[column] = null;
    } else {
      const number = parseFiniteNumber(text);
      record[column] = Number.isNaN(number) ? text : number;
    }
  }
  return record;
}
