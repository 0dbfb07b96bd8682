/**
 * `POST /v1/score`: scores one event (a JSON object) or a batch (a JSON array), returns
 * each `score()` result with a recommended action, and reports flagged events.
 *
 * A batch is validated completely before any event is scored, so a bad event rejects the
 * whole request and nothing from it is flagged or stored.
 */

import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ScoreResult } from "../engine/types.js";
import { chooseAction, type Action } from "./actions.js";
import type { AnomalyReporter } from "./alerts.js";
import { ApiError } from "./http-error.js";
import { batchResponseSchema, singleResponseSchema } from "./response-schema.js";
import type { ServeHolder, ServeModel, ServeSettings } from "./prepare.js";

/** One scored event in a response: the event id, the action, then the `score()` fields. */
export type ScoredEvent = { eventId: string | null; action: Action } & ScoreResult;

const JSON_TYPE = "application/json; charset=utf-8";

export interface ScoreRouteDeps {
  holder: ServeHolder;
  reporter: AnomalyReporter;
  settings: ServeSettings;
  onScored: (count: number) => void;
}

/** Adds `POST /v1/score` to `app`. */
export function registerScoreRoute(app: FastifyInstance, deps: ScoreRouteDeps): void {
  app.post("/v1/score", async (request, reply) => {
    // One model serves the whole request, even when a reload swaps it meanwhile.
    const loaded = deps.holder.current;
    if (!loaded) {
      throw new ApiError(503, "MODEL_NOT_LOADED", "no model is loaded yet; retry shortly");
    }
    const { validator } = loaded.extra;
    const body: unknown = request.body;
    const head = { modelId: loaded.model.modelId, modelVersion: loaded.version };

    if (!Array.isArray(body)) {
      validator.check(body);
      // Score before choosing the success serializer: an error thrown by scoring must
      // be sent by the error handler, not squeezed through the result schema.
      const scored = scoreOne(body as Record<string, unknown>, loaded, request, deps);
      reply.type(JSON_TYPE).serializer(reply.compileSerializationSchema(singleResponseSchema));
      return { ...head, ...scored };
    }

    if (body.length === 0) {
      throw new ApiError(400, "EMPTY_BATCH", "the batch is an empty array; send at least one event");
    }
    if (body.length > deps.settings.maxBatch) {
      throw new ApiError(
        400,
        "BATCH_TOO_LARGE",
        `the batch has ${body.length} events; the limit is ${deps.settings.maxBatch}` +
          " (split it, or raise --max-batch)",
      );
    }
    for (let i = 0; i < body.length; i++) validator.check(body[i], i);
    const results = new Array<ScoredEvent>(body.length);
    for (let i = 0; i < body.length; i++) results[i] = scoreOne(body[i], loaded, request, deps);
    reply.type(JSON_TYPE).serializer(reply.compileSerializationSchema(batchResponseSchema));
    return { ...head, count: results.length, results };
  });
}

/** Scores one validated event, chooses its action and reports it when flagged. */
function scoreOne(
  event: Record<string, unknown>,
  loaded: ServeModel,
  request: FastifyRequest,
  deps: ScoreRouteDeps,
): ScoredEvent {
  const result = loaded.model.score(event);
  const action = chooseAction(result.score, loaded.extra.thresholds);
  let eventId = readEventId(event, deps.settings.idFields);
  deps.onScored(1);

  if (action !== "allow") {
    const reviewId = eventId ?? randomUUID();
    deps.reporter.report({
      reviewId,
      eventId,
      action,
      result,
      event,
      modelId: loaded.model.modelId,
      modelVersion: loaded.version,
      requestId: request.id,
    });
    eventId = reviewId;
  }
  return { eventId, action, ...result };
}

/** Returns the first id field present, as a string, or null. */
function readEventId(event: Record<string, unknown>, idFields: readonly string[]): string | null {
  for (const field of idFields) {
    const value = event[field];
    if (value !== undefined) return String(value);
  }
  return null;
}
