/**
 * Delivers anomalies to an HTTP webhook without slowing the request path: `enqueue` only
 * pushes onto a bounded in-memory queue, and a few background workers POST each payload
 * as JSON, retrying with exponential backoff. Every payload that is not delivered (queue
 * full, retries exhausted, rejected by the receiver, still queued at shutdown) is counted
 * in metrics and logged with its review id.
 */

import type { BaseLogger } from "pino";
import type { ServeMetrics, WebhookOutcome } from "./metrics.js";

export interface WebhookOptions {
  url: string;
  /** Maximum payloads queued, being sent or waiting for a retry. Default 1000. */
  queueSize?: number;
  /** Attempts per payload, the first one included. Default 5. */
  maxAttempts?: number;
  /** Delay before the first retry in ms; it doubles per attempt, with jitter. Default 200. */
  baseDelayMs?: number;
  /** Upper bound of one retry delay, in ms. Default 10000. */
  maxDelayMs?: number;
  /** Time allowed for one POST, in ms. Default 3000. */
  timeoutMs?: number;
  /** Concurrent POSTs. Default 2. */
  concurrency?: number;
}

/** A payload must carry the review id so that every log line about it can name it. */
export interface WebhookPayload {
  reviewId: string;
  [key: string]: unknown;
}

interface Job {
  payload: WebhookPayload;
  body: string;
  attempt: number;
}

/** Minimum time between two "queue full" log lines, in ms. */
const QUEUE_FULL_LOG_INTERVAL_MS = 5000;

/** Maximum number of review ids listed in one log line. */
const MAX_LOGGED_IDS = 50;

/** Receiver statuses worth another attempt; any other 4xx is final. */
const RETRYABLE_STATUS = new Set([408, 425, 429]);

export class WebhookSender {
  private readonly url: string;
  private readonly queueSize: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly queue: Job[] = [];
  private readonly retryTimers = new Map<NodeJS.Timeout, Job>();
  private readonly shutdown = new AbortController();
  private active = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private lastQueueFullLog = -Infinity;
  private droppedSinceLog = 0;

  constructor(
    options: WebhookOptions,
    private readonly log: BaseLogger,
    private readonly metrics?: ServeMetrics,
  ) {
    this.url = options.url;
    this.queueSize = options.queueSize ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.concurrency = options.concurrency ?? 2;
  }

  /** Payloads queued, being sent or waiting for a retry. */
  get depth(): number {
    return this.queue.length + this.active + this.retryTimers.size;
  }

  /**
   * Queues one payload and returns at once. Returns false, after counting and logging
   * the loss, when the queue is full or the sender is closed.
   */
  enqueue(payload: WebhookPayload): boolean {
    if (this.closed) {
      this.finish(payload, "abandoned_at_shutdown", {});
      return false;
    }
    if (this.depth >= this.queueSize) {
      this.dropQueueFull(payload);
      return false;
    }
    this.queue.push({ payload, body: JSON.stringify(payload), attempt: 0 });
    this.metrics?.webhookQueue.set(this.depth);
    this.pump();
    return true;
  }

  /**
   * Stops accepting payloads and waits up to `timeoutMs` for the queue to drain. What is
   * still queued then is counted and logged as abandoned. Returns the abandoned count.
   */
  async close(timeoutMs = 5000): Promise<number> {
    this.closed = true;
    await this.idle(timeoutMs);
    const abandoned = this.abandonRemaining();
    // Aborted POSTs settle within a few ticks; wait so their outcome is logged before return.
    await this.idle(1000);
    return abandoned;
  }

  /** Waits until nothing is queued, sent or waiting for a retry, or `timeoutMs` passed. */
  private async idle(timeoutMs: number): Promise<void> {
    if (this.depth === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const drained = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.race([drained, timeout]);
    clearTimeout(timer);
  }

  /**
   * Drops what is queued or waiting for a retry and aborts the POSTs in flight (those
   * log their own outcome). Logs one line for the dropped payloads, with their ids.
   */
  private abandonRemaining(): number {
    const jobs = [...this.queue, ...this.retryTimers.values()];
    for (const timer of this.retryTimers.keys()) clearTimeout(timer);
    this.retryTimers.clear();
    this.queue.length = 0;
    const abandoned = jobs.length + this.active;
    this.shutdown.abort();
    if (jobs.length > 0) {
      this.metrics?.webhookDeliveries.inc({ outcome: "abandoned_at_shutdown" }, jobs.length);
      this.log.error(
        { outcome: "abandoned_at_shutdown", count: jobs.length, url: this.url,
          reviewIds: jobs.slice(0, MAX_LOGGED_IDS).map((job) => job.payload.reviewId) },
        "webhook delivery abandoned: anomalies still queued at shutdown did not reach the webhook",
      );
    }
    this.metrics?.webhookQueue.set(this.depth);
    return abandoned;
  }

  /**
   * Counts a payload dropped because the queue is full. While the webhook is down this
   * can happen for every flagged event, so it logs at most one line per
   * QUEUE_FULL_LOG_INTERVAL_MS, with the number dropped since the previous line.
   */
  private dropQueueFull(payload: WebhookPayload): void {
    this.metrics?.webhookDeliveries.inc({ outcome: "queue_full" });
    this.droppedSinceLog++;
    const now = Date.now();
    if (now - this.lastQueueFullLog < QUEUE_FULL_LOG_INTERVAL_MS) return;
    this.log.error(
      { reviewId: payload.reviewId, outcome: "queue_full", dropped: this.droppedSinceLog,
        queueSize: this.queueSize, url: this.url },
      "webhook delivery abandoned: the queue is full",
    );
    this.lastQueueFullLog = now;
    this.droppedSinceLog = 0;
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      this.active++;
      void this.attempt(job).finally(() => {
        this.active--;
        this.metrics?.webhookQueue.set(this.depth);
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private notifyIdle(): void {
    if (this.depth !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Sends one attempt, then schedules a retry or records the final outcome. */
  private async attempt(job: Job): Promise<void> {
    job.attempt++;
    let failure: string;
    let retryable = true;
    try {
      const response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: job.body,
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.shutdown.signal]),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        this.finish(job.payload, "delivered", { attempts: job.attempt });
        return;
      }
      failure = `HTTP ${response.status}`;
      retryable = response.status >= 500 || RETRYABLE_STATUS.has(response.status);
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }

    if (this.shutdown.signal.aborted) {
      this.finish(job.payload, "abandoned_at_shutdown", { attempts: job.attempt, failure });
    } else if (!retryable) {
      this.finish(job.payload, "rejected", { attempts: job.attempt, failure });
    } else if (job.attempt >= this.maxAttempts) {
      this.finish(job.payload, "retries_exhausted", { attempts: job.attempt, failure });
    } else {
      this.scheduleRetry(job, failure);
    }
  }

  private scheduleRetry(job: Job, failure: string): void {
    const exponential = this.baseDelayMs * 2 ** (job.attempt - 1);
    const delayMs = Math.min(this.maxDelayMs, exponential * (0.5 + Math.random() / 2));
    this.metrics?.webhookRetries.inc();
    this.log.warn(
      { reviewId: job.payload.reviewId, attempt: job.attempt, delayMs: Math.round(delayMs),
        failure, url: this.url },
      "webhook delivery failed, retrying",
    );
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.queue.push(job);
      this.pump();
    }, delayMs);
    this.retryTimers.set(timer, job);
  }

  /** Records the final outcome of one payload in metrics and, unless delivered, in the log. */
  private finish(
    payload: WebhookPayload,
    outcome: WebhookOutcome,
    details: Record<string, unknown>,
  ): void {
    this.metrics?.webhookDeliveries.inc({ outcome });
    if (outcome === "delivered") {
      this.log.debug({ reviewId: payload.reviewId, ...details }, "webhook delivered");
      return;
    }
    this.log.error(
      { reviewId: payload.reviewId, outcome, url: this.url, ...details },
      "webhook delivery abandoned: the anomaly did not reach the webhook",
    );
  }
}
