/**
 * Idempotent setup of the fleet's JetStream streams and its shared durable pull consumer.
 * Every `sigh consume` process runs this on start, so several may race: a stream or
 * consumer that already exists is used as it is, never changed.
 */

import {
  AckPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";

/** Subjects of the results stream: one result per event, and a copy of each anomaly. */
export const RESULT_SUBJECTS = ["sigh.results.>", "sigh.alerts.>"];
export const DEAD_LETTER_SUBJECTS = ["sigh.dead.>"];

/**
 * Default duplicate window of the results and dead-letter streams: a redelivered event
 * whose second result arrives within this time after the first is dropped by JetStream.
 */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/** Returns the subjects `sigh consume` gives a new event stream: `orders.>` for ORDERS. */
export function defaultEventSubjects(stream: string): string[] {
  return [`${stream.toLowerCase()}.>`];
}

/** The streams and consumer one scoring process needs, with their settings. */
export interface FleetTopology {
  eventStream: string;
  /** Subjects for the event stream if it has to be created. */
  eventSubjects: string[];
  consumer: string;
  resultsStream: string;
  deadLetterStream: string;
  /** Seconds a delivered event may stay unacknowledged before the server redelivers it. */
  ackWaitSeconds: number;
  /** Deliveries of one event before the server stops delivering it. */
  maxDeliver: number;
  /** Unacknowledged events the consumer hands out across all processes. */
  maxAckPending: number;
  duplicateWindowMs: number;
}

/** Outcome of `ensureTopology`, for the caller to log. */
export interface SetupReport {
  created: string[];
  existing: string[];
  /** Settings of existing objects that differ from the requested ones. */
  warnings: string[];
}

/**
 * Creates the event, results and dead-letter streams and the durable consumer when they
 * are missing. Existing ones are kept; differences from `topology` are listed in
 * `warnings`. Throws when the server rejects a definition (for example overlapping
 * subjects with another stream).
 */
export async function ensureTopology(
  jsm: JetStreamManager,
  topology: FleetTopology,
): Promise<SetupReport> {
  const report: SetupReport = { created: [], existing: [], warnings: [] };
  const window = nanos(topology.duplicateWindowMs);

  await ensureStream(jsm, report, {
    name: topology.eventStream,
    subjects: topology.eventSubjects,
  });
  const results = await ensureStream(jsm, report, {
    name: topology.resultsStream,
    subjects: RESULT_SUBJECTS,
    duplicate_window: window,
  });
  const dead = await ensureStream(jsm, report, {
    name: topology.deadLetterStream,
    subjects: DEAD_LETTER_SUBJECTS,
    duplicate_window: window,
  });
  for (const info of [results, dead]) {
    const have = info.config.duplicate_window ?? 0;
    if (have < window) {
      report.warnings.push(
        `stream ${info.config.name} has a duplicate window of ${have / 1e6} ms, shorter ` +
          `than ${topology.duplicateWindowMs} ms: late redeliveries may give two results`,
      );
    }
  }

  await ensureConsumer(jsm, report, topology);
  return report;
}

async function ensureStream(
  jsm: JetStreamManager,
  report: SetupReport,
  config: Partial<StreamConfig> & { name: string },
): Promise<StreamInfo> {
  const found = await streamInfoOrNull(jsm, config.name);
  if (found) {
    report.existing.push(`stream ${config.name}`);
    return found;
  }
  try {
    const info = await jsm.streams.add(config);
    report.created.push(`stream ${config.name}`);
    return info;
  } catch (error) {
    // Another process may have created it between our lookup and our add.
    const raced = await streamInfoOrNull(jsm, config.name);
    if (!raced) throw withContext(error, `failed to create stream ${config.name}`);
    report.existing.push(`stream ${config.name}`);
    return raced;
  }
}

async function ensureConsumer(
  jsm: JetStreamManager,
  report: SetupReport,
  topology: FleetTopology,
): Promise<void> {
  const requested: Partial<ConsumerConfig> = {
    durable_name: topology.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(topology.ackWaitSeconds * 1000),
    max_deliver: topology.maxDeliver,
    max_ack_pending: topology.maxAckPending,
  };
  const label = `consumer ${topology.eventStream}/${topology.consumer}`;
  let info = await consumerInfoOrNull(jsm, topology.eventStream, topology.consumer);
  if (!info) {
    try {
      info = await jsm.consumers.add(topology.eventStream, requested);
      report.created.push(label);
      return;
    } catch (error) {
      info = await consumerInfoOrNull(jsm, topology.eventStream, topology.consumer);
      if (!info) throw withContext(error, `failed to create ${label}`);
    }
  }
  report.existing.push(label);

  const have = info.config;
  if (have.ack_policy !== AckPolicy.Explicit) {
    throw new Error(
      `${label} exists with ack_policy ${have.ack_policy}; the fleet needs explicit`,
    );
  }
  for (const key of ["ack_wait", "max_deliver", "max_ack_pending"] as const) {
    if (have[key] !== requested[key]) {
      // ack_wait is in nanoseconds on the wire; seconds read better in a log.
      const show = (value?: number) =>
        key === "ack_wait" && value !== undefined ? `${value / 1e9} s` : String(value);
      const keptValue = show(have[key]);
      const requestedValue = show(requested[key]);
      report.warnings.push(
        `${label} keeps ${key} ${keptValue} (requested ${requestedValue})`,
      );
    }
  }
}

async function streamInfoOrNull(jsm: JetStreamManager, name: string) {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (isApiError(error, JetStreamApiCodes.StreamNotFound)) return null;
    throw error;
  }
}

async function consumerInfoOrNull(jsm: JetStreamManager, stream: string, name: string) {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (error) {
    if (isApiError(error, JetStreamApiCodes.ConsumerNotFound)) return null;
    throw error;
  }
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

function withContext(error: unknown, context: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${context}: ${message}`, { cause: error });
}
