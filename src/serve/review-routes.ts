/**
 * The review queue over HTTP: `GET /v1/review`, `GET /v1/review/:id` and
 * `POST /v1/review/:id` with `{ verdict, note? }`.
 */

import type { FastifyInstance } from "fastify";
import { ApiError } from "./http-error.js";
import {
  STATUS_FILTERS,
  VERDICTS,
  type ReviewStatusFilter,
  type ReviewStore,
  type Verdict,
} from "./review-store.js";

/** Maximum length of a note stored with a verdict, in characters. */
export const MAX_NOTE_LENGTH = 2000;

/** Most items one list request returns. */
export const MAX_LIST_LIMIT = 1000;

const listSchema = {
  querystring: {
    type: "object",
    properties: {
      status: { type: "string", enum: [...STATUS_FILTERS] },
      limit: { type: "integer", minimum: 1, maximum: MAX_LIST_LIMIT },
    },
    additionalProperties: false,
  },
};

const resolveSchema = {
  body: {
    type: "object",
    required: ["verdict"],
    properties: {
      verdict: { type: "string", enum: [...VERDICTS] },
      note: { type: "string", maxLength: MAX_NOTE_LENGTH },
    },
    additionalProperties: false,
  },
};

export function registerReviewRoutes(app: FastifyInstance, store: ReviewStore | undefined): void {
  const requireStore = (): ReviewStore => {
    if (store) return store;
    throw new ApiError(404, "NOT_FOUND", "the review queue is turned off in this service");
  };

  app.get("/v1/review", { schema: listSchema }, async (request) => {
    const query = request.query as { status?: ReviewStatusFilter; limit?: number };
    const items = requireStore().list(query.status ?? "open", query.limit ?? 100);
    return { count: items.length, items };
  });

  app.get("/v1/review/:id", async (request) => {
    const { id } = request.params as { id: string };
    const item = requireStore().get(id);
    if (!item) throw notFound(id);
    return item;
  });

  app.post("/v1/review/:id", { schema: resolveSchema }, async (request) => {
    const { id } = request.params as { id: string };
    const body = request.body as { verdict: Verdict; note?: string };
    const item = requireStore().resolve(id, body.verdict, body.note ?? null);
    if (!item) throw notFound(id);
    request.log.info({ reviewId: id, verdict: body.verdict }, "review item resolved");
    return item;
  });
}

function notFound(id: string): ApiError {
  return new ApiError(404, "NOT_FOUND", `no review item has the id ${JSON.stringify(id)}`, "id");
}
