/**
 * Reporting of a flagged event (action review or throttle): one structured log line,
 * the anomaly counters, a row in the review queue and a webhook delivery. Nothing here
 * waits for I/O, so the request that flagged the event is not slowed by it.
 */

import type { BaseLogger } from "pino";
import type { ScoreResult } from "../engine/types.js";
import { topDeviations, type Action } from "./actions.js";
import type { ServeMetrics } from "./metrics.js";
import type { ReviewStore } from "./review-store.js";
import type { WebhookSender } from "./webhook.js";

export interface FlaggedEvent {
  /** Review id: the event id, or a generated one. */
  reviewId: string;
  /** The id the event carried, or null. */
  eventId: string | null;
  action: Action;
  result: ScoreResult;
  event: unknown;
  modelId: string;
  modelVersion: number;
  /** Fastify's request id, to join the alert with other log lines of the request. */
  requestId: string;
}

export interface AlertSinks {
  log: BaseLogger;
  metrics: ServeMetrics;
  store?: ReviewStore;
  webhook?: WebhookSender;
}

export class AnomalyReporter {
  constructor(private readonly sinks: AlertSinks) {}

  report(flagged: FlaggedEvent): void {
    const { log, metrics, store, webhook } = this.sinks;
    const { result } = flagged;
    const createdAt = new Date().toISOString();
    const top = topDeviations(result.deviations);

    metrics.countAnomaly(result.nearestCluster, flagged.action);
    log.warn(
      {
        alert: "anomaly",
        reqId: flagged.requestId,
        reviewId: flagged.reviewId,
        eventId: flagged.eventId,
        action: flagged.action,
        score: result.score,
        nearestCluster: result.nearestCluster,
        nearestClusterName: result.nearestClusterName,
        modelId: flagged.modelId,
        top,
      },
      "anomaly flagged",
    );

    store?.enqueue({
      id: flagged.reviewId,
      eventId: flagged.eventId,
      createdAt,
      modelId: flagged.modelId,
      modelVersion: flagged.modelVersion,
      score: result.score,
      action: flagged.action,
      nearestCluster: result.nearestCluster,
      nearestClusterName: result.nearestClusterName,
      event: flagged.event,
      deviations: result.deviations,
    });
    metrics.reviewPending.set(store?.pendingCount ?? 0);

    webhook?.enqueue({
      type: "anomaly",
      reviewId: flagged.reviewId,
      eventId: flagged.eventId,
      action: flagged.action,
      score: result.score,
      nearestCluster: result.nearestCluster,
      nearestClusterName: result.nearestClusterName,
      modelId: flagged.modelId,
      flaggedAt: createdAt,
      topDeviations: top,
      event: flagged.event,
    });
  }
}
