/**
 * Builds the fastify instance of the scoring service without listening, so tests can use
 * `app.inject` or a real `listen`, and the server module adds ports and signals.
 *
 * Request logging is off for the hot path: only errors, reloads and anomalies are logged.
 */

import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Logger } from "pino";
import { InputError } from "../engine/errors.js";
import type { AnomalyReporter } from "./alerts.js";
import { ApiError } from "./http-error.js";
import type { ServeMetrics } from "./metrics.js";
import type { ServeHolder, ServeSettings } from "./prepare.js";
import { registerReviewRoutes } from "./review-routes.js";
import type { ReviewStore } from "./review-store.js";
import { buildRouteValidatorCompiler, describeValue } from "./schema.js";
import { registerScoreRoute } from "./score-route.js";

export interface AppDeps {
  holder: ServeHolder;
  metrics: ServeMetrics;
  reporter: AnomalyReporter;
  log: Logger;
  store?: ReviewStore;
}

/** Creates the fastify instance with every route, the error format and request metrics. */
export function buildApp(deps: AppDeps, settings: ServeSettings): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.bodyLimit,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(buildRouteValidatorCompiler());
  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendError(toApiError(error, request, settings), error, request, reply, deps.metrics));
  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError(404, "NOT_FOUND", `no route for ${request.method} ${request.url}`);
    sendError(error, error, request, reply, deps.metrics);
  });
  addRequestMetrics(app, deps.metrics);

  registerScoreRoute(app, {
    holder: deps.holder,
    reporter: deps.reporter,
    settings,
    onScored: (count) => deps.metrics.eventsScored.inc(count),
  });
  registerStatusRoutes(app, deps, settings);
  registerReviewRoutes(app, deps.store);
  return app;
}

function registerStatusRoutes(app: FastifyInstance, deps: AppDeps, settings: ServeSettings): void {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    const loaded = deps.holder.current;
    if (!loaded) {
      throw new ApiError(503, "MODEL_NOT_LOADED", "not ready: no model is loaded yet");
    }
    return reply.send({ status: "ready", modelId: loaded.model.modelId, version: loaded.version });
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });

  app.get("/v1/model", async () => {
    const loaded = deps.holder.current;
    if (!loaded) throw new ApiError(503, "MODEL_NOT_LOADED", "no model is loaded yet");
    const { model, extra } = loaded;
    return {
      modelId: model.modelId,
      version: loaded.version,
      loadedAt: loaded.loadedAt,
      source: loaded.source,
      fileBytes: loaded.fileBytes,
      parameters: { eps: model.eps, minSamples: model.minSamples, scale: model.scale },
      threshold: model.threshold,
      actionThresholds: extra.thresholds,
      features: model.features,
      clusters: model.clusters.map((c) => ({ id: c.id, name: c.name, size: c.size, share: c.share })),
      summary: model.summary,
      request: { idFields: settings.idFields, strict: settings.strict, schema: extra.validator.schema },
    };
  });
}

/** Counts every response and observes its latency, by route pattern. */
function addRequestMetrics(app: FastifyInstance, metrics: ServeMetrics): void {
  // Label children are cached: prom-client hashes the label set on every labels() call.
  const latency = new Map<string, ReturnType<typeof metrics.latency.labels>>();
  const counters = new Map<string, ReturnType<typeof metrics.requests.labels>>();
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    let histogram = latency.get(route);
    if (!histogram) {
      histogram = metrics.latency.labels(route);
      latency.set(route, histogram);
    }
    histogram.observe(reply.elapsedTime / 1000);

    const key = `${route} ${request.method} ${reply.statusCode}`;
    let counter = counters.get(key);
    if (!counter) {
      counter = metrics.requests.labels(route, request.method, String(reply.statusCode));
      counters.set(key, counter);
    }
    counter.inc();
    done();
  });
}

function sendError(
  apiError: ApiError,
  cause: Error,
  request: FastifyRequest,
  reply: FastifyReply,
  metrics: ServeMetrics,
): void {
  if (apiError.statusCode >= 500 && apiError.code === "INTERNAL") {
    request.log.error({ err: cause, url: request.url }, "request failed");
  } else {
    metrics.rejectedRequests.inc({ code: apiError.code });
    request.log.info(
      { statusCode: apiError.statusCode, code: apiError.code, field: apiError.field,
        method: request.method, url: request.url, error: apiError.message },
      "request rejected",
    );
  }
  void reply.code(apiError.statusCode).type("application/json").send(apiError.toBody());
}

/** Maps any error thrown while handling a request to the API's error shape. */
export function toApiError(
  error: FastifyError,
  request: FastifyRequest,
  settings: ServeSettings,
): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InputError) {
    return new ApiError(400, "INVALID_VALUE", error.message, error.location.field);
  }
  if (error.validation) return fromRouteValidation(error, request);

  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError(413, "BODY_TOO_LARGE",
        `the request body is larger than the limit of ${settings.bodyLimit} bytes` +
        " (send smaller batches, or raise --body-limit)");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
        "the request body must be JSON with the header content-type: application/json");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new ApiError(400, "INVALID_JSON", "the request body is empty; send a JSON event");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new ApiError(400, "INVALID_JSON",
        "the request body is not valid JSON, or it contains a __proto__ or constructor key" +
        " (send a JSON object, or an array of objects)");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ApiError(400, "INVALID_BODY", "the content-length header does not match the body");
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new ApiError(400, "INVALID_JSON", `the request body is not valid JSON: ${error.message}`);
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new ApiError(status, "INVALID_BODY", error.message);
  }
  if (status === 503) {
    return new ApiError(503, "SHUTTING_DOWN", "the service is shutting down; retry elsewhere");
  }
  return new ApiError(500, "INTERNAL", "internal error; the service logged the details");
}

/** Formats a fastify route-schema failure (review routes) with the field and value. */
function fromRouteValidation(error: FastifyError, request: FastifyRequest): ApiError {
  const first = error.validation![0];
  const part = error.validationContext === "body" ? "body" : "query";
  const path = first.instancePath.replace(/^\//, "");
  const params = first.params as Record<string, unknown>;
  const field = String(params.missingProperty ?? params.additionalProperty ?? path);
  let detail = first.message ?? "is invalid";
  if (first.keyword === "enum") {
    detail = `must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
  } else if (first.keyword === "additionalProperties") {
    detail = "is not a known field";
  }
  const code = part === "body" ? "INVALID_BODY" : "INVALID_QUERY";
  const container = (part === "body" ? request.body : request.query) as
    Record<string, unknown> | undefined;
  const value = container?.[field];
  const received = value === undefined ? "" : `, received ${describeValue(value)}`;
  return new ApiError(400, code, `${part} field ${JSON.stringify(field)} ${detail}${received}`,
    field);
}
