/**
 * JSON schemas of the `POST /v1/score` responses. Fastify compiles them with
 * fast-json-stringify, which writes these fixed shapes faster than `JSON.stringify`.
 * A field missing from these schemas would be dropped from responses, so they list every
 * field of `ScoreResult` and `Deviation` (src/engine/types.ts).
 */

const deviation = {
  type: "object",
  properties: {
    feature: { type: "string" },
    value: { type: "number" },
    normal: { type: "number" },
    diffPct: { type: ["number", "null"] },
    diffPctReason: { type: "string" },
    z: { type: "number" },
    level: { type: "string" },
    share: { type: "number" },
  },
} as const;

const scoredEventProperties = {
  eventId: { type: ["string", "null"] },
  action: { type: "string" },
  isAnomaly: { type: "boolean" },
  cluster: { type: "integer" },
  clusterName: { type: "string" },
  nearestCluster: { type: "integer" },
  nearestClusterName: { type: "string" },
  distance: { type: "number" },
  score: { type: "number" },
  deviations: { type: "array", items: deviation },
} as const;

/** One event in: the model id and version, then the scored event's fields. */
export const singleResponseSchema = {
  type: "object",
  properties: {
    modelId: { type: "string" },
    modelVersion: { type: "integer" },
    ...scoredEventProperties,
  },
} as const;

/** A batch in: the model id and version, the count, and one result per event. */
export const batchResponseSchema = {
  type: "object",
  properties: {
    modelId: { type: "string" },
    modelVersion: { type: "integer" },
    count: { type: "integer" },
    results: { type: "array", items: { type: "object", properties: scoredEventProperties } },
  },
} as const;
