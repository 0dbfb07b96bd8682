/** Reads every message stored in a stream, for tests, benchmarks and audits. */

import type { JetStreamClient } from "@nats-io/jetstream";

/**
 * Returns the decoded JSON bodies of all messages in `stream` whose subject matches
 * `filterSubject`, in stream order, through an ordered consumer. Messages that arrive
 * while reading may or may not be included.
 */
export async function readStreamJson<T = unknown>(
  js: JetStreamClient,
  stream: string,
  filterSubject: string,
): Promise<T[]> {
  // A single string filter keeps this working on servers before 2.10.
  const consumer = await js.consumers.get(stream, { filter_subjects: filterSubject });
  const pending = (await consumer.info()).num_pending;
  const out: T[] = [];
  if (pending === 0) return out;

  const messages = await consumer.consume({ max_messages: 1000 });
  for await (const msg of messages) {
    out.push(msg.json<T>());
    if (msg.info.pending === 0) break;
  }
  return out;
}
