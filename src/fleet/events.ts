/**
 * The fleet's message formats: decoding an event, and the result and dead-letter messages
 * a scoring process publishes.
 */

import type { Deviation, EventRecord, ScoreResult } from "../engine/types.js";

/** The model interface of the scoring loop; the engine's `AnomalyModel` implements it. */
export interface ScoringModel {
  score(record: EventRecord): ScoreResult;
  readonly featureNames: readonly string[];
  /** Checksum of the model's content, copied into every result. */
  readonly modelId: string;
}

/** Turns the bytes of a model file into a model; throws on a corrupt or foreign file. */
export type ModelDecoder = (bytes: Uint8Array) => ScoringModel;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Maximum event id length in characters, because the id becomes a NATS header value. */
export const MAX_EVENT_ID_LENGTH = 256;

export type DecodedEvent =
  | { ok: true; id: string; record: EventRecord }
  | { ok: false; reason: string; id?: string };

/**
 * Parses one event message: a JSON object with an id in `idField` and every model feature
 * as a finite JSON number. Returns the reason instead of throwing, because a bad event
 * goes to the dead-letter stream and never stops the loop.
 */
export function decodeEvent(
  data: Uint8Array,
  idField: string,
  featureNames: readonly string[],
): DecodedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(data));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `invalid JSON: ${detail}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    let kind: string = typeof parsed;
    if (parsed === null) kind = "null";
    else if (Array.isArray(parsed)) kind = "an array";
    return { ok: false, reason: `invalid event: expected a JSON object, got ${kind}` };
  }
  const record = parsed as Record<string, unknown>;

  const id = eventIdOf(record[idField]);
  if (typeof id !== "string") {
    return { ok: false, reason: `id field "${idField}": ${id.reason}` };
  }

  for (const name of featureNames) {
    const value = record[name];
    if (value === undefined) {
      return { ok: false, id, reason: `feature "${name}": missing` };
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return {
        ok: false,
        id,
        reason: `feature "${name}": invalid value ${JSON.stringify(value)} ` +
          "(expected a finite JSON number)",
      };
    }
  }
  return { ok: true, id, record };
}

function eventIdOf(value: unknown): string | { reason: string } {
  if (value === undefined || value === null || value === "") return { reason: "missing" };
  let id: string;
  if (typeof value === "string") {
    id = value;
  } else if (typeof value === "number" && Number.isFinite(value)) {
    id = String(value);
  } else {
    const shown = JSON.stringify(value);
    return { reason: `invalid value ${shown} (expected a string or number)` };
  }

  if (id.length > MAX_EVENT_ID_LENGTH) {
    return { reason: `invalid value: longer than ${MAX_EVENT_ID_LENGTH} characters` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) {
    return { reason: `invalid value ${JSON.stringify(id)} (control characters)` };
  }
  return id;
}

/** One scored event as published on `sigh.results.<stream>` and `sigh.alerts.<stream>`. */
export interface ResultMessage {
  eventId: string;
  isAnomaly: boolean;
  score: number;
  cluster: number;
  clusterName: string;
  nearestCluster: number;
  nearestClusterName: string;
  distance: number;
  /** Per-feature explanation, in model feature order. */
  deviations: Deviation[];
  modelId: string;
  /** Event stream and its sequence number of the scored message. */
  stream: string;
  seq: number;
  /** ISO 8601 time of scoring. */
  scoredAt: string;
}

export function toResultMessage(
  eventId: string,
  result: ScoreResult,
  modelId: string,
  stream: string,
  seq: number,
): ResultMessage {
  return {
    eventId,
    isAnomaly: result.isAnomaly,
    score: result.score,
    cluster: result.cluster,
    clusterName: result.clusterName,
    nearestCluster: result.nearestCluster,
    nearestClusterName: result.nearestClusterName,
    distance: result.distance,
    deviations: result.deviations,
    modelId,
    stream,
    seq,
    scoredAt: new Date().toISOString(),
  };
}

/** Largest share of the original payload copied into a dead letter, in bytes. */
export const DEAD_LETTER_PAYLOAD_LIMIT = 64 * 1024;

/** A rejected event as published on `sigh.dead.<stream>`. */
export interface DeadLetterMessage {
  reason: string;
  /** Present when the event had a usable id. */
  eventId?: string;
  stream: string;
  seq: number;
  subject: string;
  deliveryCount: number;
  /** The original payload as text, cut at `DEAD_LETTER_PAYLOAD_LIMIT` bytes. */
  payload: string;
  payloadTruncated: boolean;
  deadAt: string;
}

export function toDeadLetter(
  reason: string,
  data: Uint8Array,
  origin: {
    eventId?: string;
    stream: string;
    seq: number;
    subject: string;
    deliveryCount: number;
  },
): DeadLetterMessage {
  const truncated = data.length > DEAD_LETTER_PAYLOAD_LIMIT;
  const payloadBytes = truncated ? data.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT) : data;
  return {
    reason,
    ...(origin.eventId === undefined ? {} : { eventId: origin.eventId }),
    stream: origin.stream,
    seq: origin.seq,
    subject: origin.subject,
    deliveryCount: origin.deliveryCount,
    payload: new TextDecoder().decode(payloadBytes),
    payloadTruncated: truncated,
    deadAt: new Date().toISOString(),
  };
}
