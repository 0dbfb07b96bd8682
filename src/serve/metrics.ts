/**
 * Prometheus metrics of the scoring service, on a registry of their own so that several
 * services (in tests, for example) can live in one process.
 */

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Action } from "./actions.js";

/** Latency buckets in seconds: 0.1 ms to 1 s, dense below 10 ms where scoring lives. */
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

export type WebhookOutcome = "delivered" | "queue_full" | "retries_exhausted" | "rejected"
  | "abandoned_at_shutdown";

export type ReloadOutcome = "swapped" | "unchanged" | "failed";

export class ServeMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: "sigh_http_requests_total",
    help: "HTTP responses sent, by route, method and status code.",
    labelNames: ["route", "method", "status_code"] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: "sigh_http_request_duration_seconds",
    help: "Time from receiving a request to sending the response, in seconds.",
    labelNames: ["route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly eventsScored = new Counter({
    name: "sigh_events_scored_total",
    help: "Events scored, counting each event of a batch.",
    registers: [this.registry],
  });

  readonly anomalies = new Counter({
    name: "sigh_anomalies_total",
    help: "Flagged events (action review or throttle), by nearest cluster and action.",
    labelNames: ["nearest_cluster", "action"] as const,
    registers: [this.registry],
  });

  readonly rejectedRequests = new Counter({
    name: "sigh_rejected_requests_total",
    help: "Requests rejected with an error response (4xx, or 503 before a model is loaded), by code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  readonly reloads = new Counter({
    name: "sigh_model_reloads_total",
    help: "Model reload attempts, by outcome (swapped, unchanged, failed).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly modelInfo = new Gauge({
    name: "sigh_model_info",
    help: "1 for the model being served, labelled with its id and load version.",
    labelNames: ["model_id", "version"] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: "sigh_webhook_deliveries_total",
    help: "Anomaly webhook deliveries by final outcome; every outcome but delivered is a loss.",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly webhookRetries = new Counter({
    name: "sigh_webhook_retries_total",
    help: "Webhook attempts that failed and were scheduled again.",
    registers: [this.registry],
  });

  readonly webhookQueue = new Gauge({
    name: "sigh_webhook_queue_depth",
    help: "Anomalies waiting for webhook delivery, including the ones being sent.",
    registers: [this.registry],
  });

  readonly reviewWrites = new Counter({
    name: "sigh_review_rows_written_total",
    help: "Flagged events inserted into the review queue (duplicates by event id excluded).",
    registers: [this.registry],
  });

  readonly reviewIdConflicts = new Counter({
    name: "sigh_review_id_conflicts_total",
    help: "Flagged events whose id was already stored with different content (the first row is kept).",
    registers: [this.registry],
  });

  readonly reviewWriteFailures = new Counter({
    name: "sigh_review_write_failures_total",
    help: "Failed review-queue batch writes; the batch is kept and written again.",
    registers: [this.registry],
  });

  readonly reviewPending = new Gauge({
    name: "sigh_review_pending",
    help: "Flagged events accepted but not yet written to the review database.",
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: "sigh_" });
    }
  }

  countAnomaly(nearestCluster: number, action: Action): void {
    this.anomalies.inc({ nearest_cluster: String(nearestCluster), action });
  }

  setModel(modelId: string, version: number): void {
    this.modelInfo.reset();
    this.modelInfo.set({ model_id: modelId, version: String(version) }, 1);
  }
}
