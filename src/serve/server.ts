/**
 * Wires the scoring service together (model holder, review store, webhook, metrics,
 * fastify app), listens, and handles signals: SIGHUP reloads the model, SIGTERM and
 * SIGINT shut down gracefully.
 *
 * Shutdown order: stop accepting connections and finish in-flight requests, stop
 * watching the model, give the webhook queue a bounded time to drain, then write the
 * pending review rows and close the database.
 */

import type { FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import { AnomalyReporter } from "./alerts.js";
import { buildApp } from "./app.js";
import { ServeMetrics } from "./metrics.js";
import { ModelHolder, type ModelDecoder } from "./model-holder.js";
import { preparer, type PreparedModel, type ServeHolder, type ServeSettings } from "./prepare.js";
import { ReviewStore, defaultReviewDbPath } from "./review-store.js";
import { WebhookSender, type WebhookOptions } from "./webhook.js";

export interface ServiceOptions {
  modelPath: string;
  decode: ModelDecoder;
  settings: ServeSettings;
  /** Review database path; default `<model>.review.db`. */
  reviewDb?: string;
  webhook?: WebhookOptions;
  /** Default: JSON lines on stdout. */
  log?: Logger;
  /** Reload when the model file changes. Default true. */
  watch?: boolean;
  /** Maximum wait for the webhook queue to drain at shutdown, in ms. Default 5000. */
  drainTimeoutMs?: number;
  /** Maximum wait of a flagged event before its review row is written, in ms. Default 20. */
  reviewFlushMs?: number;
  /** Collect Node process metrics (CPU, memory, event loop). Default true. */
  processMetrics?: boolean;
}

export interface Service {
  app: FastifyInstance;
  holder: ServeHolder;
  metrics: ServeMetrics;
  store: ReviewStore;
  webhook: WebhookSender | undefined;
  log: Logger;
  /** Loads the model file and starts watching it. Throws when the file cannot be loaded. */
  loadModel(): Promise<void>;
  /** Shuts down in the order described at the top of this file. Safe to call twice. */
  close(): Promise<void>;
  /** Settles when `close()` has finished, rejecting if shutdown failed. */
  stopped: Promise<void>;
}

/** Builds every part of the service; nothing listens and no model is loaded yet. */
export function createService(options: ServiceOptions): Service {
  const log = options.log ?? pino({ timestamp: pino.stdTimeFunctions.isoTime });
  const metrics = new ServeMetrics({ defaultMetrics: options.processMetrics ?? true });
  const holder: ServeHolder = new ModelHolder<PreparedModel>({
    decode: options.decode,
    prepare: preparer(options.settings),
    log,
    onReload: (outcome, loaded) => {
      metrics.reloads.inc({ outcome });
      if (loaded) metrics.setModel(loaded.model.modelId, loaded.version);
    },
  });

  const reviewPath = options.reviewDb ?? defaultReviewDbPath(options.modelPath);
  const store = new ReviewStore(reviewPath, {
    flushIntervalMs: options.reviewFlushMs,
    onWrite: (inserted) => {
      metrics.reviewWrites.inc(inserted);
      metrics.reviewPending.set(0);
    },
    onWriteError: (error, pending) => {
      metrics.reviewWriteFailures.inc();
      metrics.reviewPending.set(pending);
      log.error({ err: error, pending, path: reviewPath }, "review queue write failed; will retry");
    },
    onConflict: (id) => {
      metrics.reviewIdConflicts.inc();
      log.warn({ reviewId: id }, "flagged event reuses a stored review id with different content; kept the first");
    },
  });
  const webhook = options.webhook ? new WebhookSender(options.webhook, log, metrics) : undefined;
  const reporter = new AnomalyReporter({ log, metrics, store, webhook });
  const app = buildApp({ holder, metrics, reporter, log, store }, options.settings);

  let closing: Promise<void> | undefined;
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const stopped = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Marks the promise handled; callers that await it still see a rejection.
  stopped.catch(() => undefined);
  return {
    app, holder, metrics, store, webhook, log, stopped,
    async loadModel() {
      await holder.load(options.modelPath);
      if (options.watch ?? true) holder.watch();
    },
    close() {
      closing ??= shutDown(app, holder, webhook, store, log, options.drainTimeoutMs ?? 5000);
      closing.then(settle!.resolve, settle!.reject);
      return closing;
    },
  };
}

async function shutDown(
  app: FastifyInstance,
  holder: ServeHolder,
  webhook: WebhookSender | undefined,
  store: ReviewStore,
  log: Logger,
  drainTimeoutMs: number,
): Promise<void> {
  log.info("shutdown started: finishing in-flight requests");
  await app.close();
  await holder.close();
  if (webhook) {
    const queued = webhook.depth;
    const abandoned = await webhook.close(drainTimeoutMs);
    log.info({ queued, abandoned }, "webhook queue closed");
  }
  const pending = store.pendingCount;
  store.close();
  log.info({ pendingRowsWritten: pending, path: store.path }, "review database closed");
  log.info("shutdown finished");
}

export interface ListenOptions {
  port: number;
  host: string;
  /** Install SIGHUP, SIGTERM and SIGINT handlers. Default true. */
  signals?: boolean;
}

export interface RunningServer {
  service: Service;
  /** The bound address, such as `http://127.0.0.1:8080`. */
  url: string;
  /** Settles once a signal or `service.close()` has shut the server down. */
  stopped: Promise<void>;
}

/**
 * Starts the service: listens first (so /healthz responds and /readyz returns 503
 * while the model loads), then loads the model. Throws, after closing what it opened,
 * when the port is taken or the model file cannot be loaded.
 */
export async function startServer(
  options: ServiceOptions,
  listen: ListenOptions,
): Promise<RunningServer> {
  const service = createService(options);
  const { app, log } = service;
  let url: string;
  try {
    url = await app.listen({ port: listen.port, host: listen.host });
    log.info({ url, model: options.modelPath, reviewDb: service.store.path }, "server listening");
    await service.loadModel();
  } catch (error) {
    log.error({ err: error }, "server start failed");
    await service.close();
    throw error;
  }

  const stopped = listen.signals ?? true ? withSignals(service) : service.stopped;
  return { service, url, stopped };
}

function withSignals(service: Service): Promise<void> {
  const { log, holder } = service;
  const onHangup = () => {
    log.info({ signal: "SIGHUP" }, "signal received: reloading the model");
    void holder.reload("SIGHUP");
  };
  let stopping = false;
  const onStop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C (or SIGTERM) means "now": skip the remaining drain steps.
      log.warn({ signal }, "second stop signal: exiting without finishing the shutdown");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, "signal received: shutting down");
    service.close().catch((error: unknown) => log.error({ err: error }, "shutdown failed"));
  };
  process.on("SIGHUP", onHangup);
  process.on("SIGTERM", onStop);
  process.on("SIGINT", onStop);
  return service.stopped.finally(() => {
    process.off("SIGHUP", onHangup);
    process.off("SIGTERM", onStop);
    process.off("SIGINT", onStop);
  });
}
