/**
 * The scoring loop of one fleet process. It pulls events from the shared durable
 * consumer, scores each one, publishes the result (message id = event id, so JetStream
 * drops a second result for the same event within the duplicate window) and only then
 * acknowledges the event. Bad events go to the dead-letter subject and are terminated.
 *
 * Delivery is at-least-once: an event whose process dies before the ack is delivered
 * again to another process after the consumer's ack wait.
 */

import type { Consumer, JsMsg } from "@nats-io/jetstream";
import { InputError, type ScoreResult } from "../engine/index.js";
import type { FleetConnection } from "./connect.js";
import { messageOf } from "./connect.js";
import {
  decodeEvent,
  toDeadLetter,
  toResultMessage,
  type ScoringModel,
} from "./events.js";
import { LogRateLimit, type FleetLogger } from "./log.js";

/** The model in use; `model-watch.ts` replaces `current` when a new model is published. */
export interface ModelHolder {
  current: ScoringModel;
}

export interface ScorerOptions {
  fleet: FleetConnection;
  eventStream: string;
  consumer: string;
  resultsStream: string;
  deadLetterStream: string;
  /** Event field that contains the event id. */
  idField: string;
  models: ModelHolder;
  /** Events pulled per request, and the limit on events being processed at once. */
  batch: number;
  /** Deliveries after which an event that keeps failing goes to the dead-letter stream. */
  maxDeliver: number;
  /** Delay before an event that failed for a passing reason is delivered again, ms. */
  retryDelayMs?: number;
  /**
   * Lifetime of one pull request in ms (at least 1000). `stop()` waits for the open
   * request to end, so this bounds how long an idle process takes to stop. Default 2000.
   */
  pullExpiresMs?: number;
  logger: FleetLogger;
}

export interface ScorerStats {
  scored: number;
  anomalies: number;
  deadLettered: number;
  /** Deliveries seen with a delivery count above 1. */
  redelivered: number;
  /** Results JetStream dropped because a result with the same event id existed. */
  duplicateResults: number;
  /** Events handed back (nak) after a failure, to be delivered again. */
  retried: number;
}

/** Subjects one scoring process publishes to, named after the event stream. */
export function fleetSubjects(eventStream: string) {
  return {
    result: `sigh.results.${eventStream}`,
    alert: `sigh.alerts.${eventStream}`,
    dead: `sigh.dead.${eventStream}`,
  };
}

export class Scorer {
  readonly stats: ScorerStats = {
    scored: 0,
    anomalies: 0,
    deadLettered: 0,
    redelivered: 0,
    duplicateResults: 0,
    retried: 0,
  };
  private readonly options: ScorerOptions;
  private readonly subjects: ReturnType<typeof fleetSubjects>;
  private readonly log: FleetLogger;
  private stopping = false;
  private maxDeliver: number;
  private loop: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private slotFreed: (() => void) | null = null;
  private readonly limits = {
    redelivery: new LogRateLimit(20),
    retry: new LogRateLimit(20),
    duplicate: new LogRateLimit(5),
    deadLetter: new LogRateLimit(20),
  };

  constructor(options: ScorerOptions) {
    this.options = options;
    this.subjects = fleetSubjects(options.eventStream);
    this.log = options.logger;
    this.maxDeliver = options.maxDeliver;
  }

  /** Starts pulling. The streams and the consumer must exist (see `ensureTopology`). */
  async start(): Promise<void> {
    const { fleet, eventStream, consumer } = this.options;
    const pull = await fleet.js.consumers.get(eventStream, consumer);

    // An existing consumer may stop delivering sooner than requested; an event that
    // failed on its last delivery must still reach the dead-letter stream.
    const serverMax = (await pull.info(true)).config.max_deliver ?? -1;
    if (serverMax > 0) this.maxDeliver = Math.min(this.maxDeliver, serverMax);
    this.loop = this.run(pull);
  }

  /**
   * Stops pulling, then finishes, publishes and acknowledges every event already
   * received. Resolves when nothing is in flight. Does not close the connection.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /**
   * Pulls with one `fetch` at a time rather than `consume`. A fetch ends by itself once
   * its events arrived or it expired, so stopping between fetches leaves no pull request
   * open on the server. An open request would keep receiving events that this process
   * never acknowledges, and they would wait for the ack wait to run out.
   */
  private async run(pull: Consumer): Promise<void> {
    const { batch } = this.options;
    const expires = this.options.pullExpiresMs ?? 2000;
    while (!this.stopping) {
      try {
        const messages = await pull.fetch({ max_messages: batch, expires });
        for await (const msg of messages) await this.dispatch(msg);
      } catch (error) {
        if (this.stopping) break;
        this.log.error({ err: messageOf(error) }, "pull request failed; retrying in 1 s");
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    await Promise.all(this.inFlight);
  }

  /** Starts handling `msg`, first waiting while `batch` events are in flight. */
  private async dispatch(msg: JsMsg): Promise<void> {
    while (this.inFlight.size >= this.options.batch) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
    const task = this.handle(msg)
      .catch((error) => {
        this.log.error({ err: messageOf(error), seq: msg.seq }, "event failed");
      })
      .finally(() => {
        this.inFlight.delete(task);
        this.slotFreed?.();
        this.slotFreed = null;
      });
    this.inFlight.add(task);
  }

  private async handle(msg: JsMsg): Promise<void> {
    const deliveryCount = msg.info.deliveryCount;
    if (deliveryCount > 1) this.noteRedelivery(msg, deliveryCount);

    const model = this.options.models.current;
    const event = decodeEvent(msg.data, this.options.idField, model.featureNames);
    if (!event.ok) {
      await this.deadLetter(msg, event.reason, event.id);
      return;
    }

    let result: ScoreResult;
    try {
      result = model.score(event.record);
    } catch (error) {
      // Bad input (a value out of range) fails the same way on every delivery.
      if (error instanceof InputError) await this.deadLetter(msg, messageOf(error), event.id);
      else await this.retryOrDeadLetter(msg, event.id, error);
      return;
    }

    try {
      const message = toResultMessage(
        event.id, result, model.modelId, this.options.eventStream, msg.seq,
      );
      await this.publishResult(message.eventId, JSON.stringify(message), result.isAnomaly);
      msg.ack();
      this.stats.scored++;
      if (result.isAnomaly) this.stats.anomalies++;
    } catch (error) {
      await this.retryOrDeadLetter(msg, event.id, error);
    }
  }

  private async publishResult(eventId: string, body: string, isAnomaly: boolean) {
    const { js } = this.options.fleet;
    const expect = { streamName: this.options.resultsStream };
    const pending = [js.publish(this.subjects.result, body, { msgID: eventId, expect })];
    if (isAnomaly) {
      // The alert sits in the same stream, so it needs its own message id.
      const alertId = `${eventId}#alert`;
      pending.push(js.publish(this.subjects.alert, body, { msgID: alertId, expect }));
    }
    const acks = await Promise.all(pending);
    if (acks[0].duplicate) this.noteDuplicate(eventId);
  }

  private async retryOrDeadLetter(msg: JsMsg, eventId: string, error: unknown) {
    const deliveryCount = msg.info.deliveryCount;
    if (deliveryCount >= this.maxDeliver) {
      const reason = `failed after ${deliveryCount} deliveries: ${messageOf(error)}`;
      await this.deadLetter(msg, reason, eventId);
      return;
    }
    msg.nak(this.options.retryDelayMs ?? 1000);
    this.stats.retried++;
    const suppressed = this.limits.retry.take();
    if (suppressed >= 0) {
      this.log.warn(
        { err: messageOf(error), eventId, seq: msg.seq, deliveryCount, suppressed },
        "event failed, delivering it again",
      );
    }
  }

  /**
   * Publishes the event to `sigh.dead.<stream>` with its reason, then terminates it so it
   * is never delivered again. The message id is stream:sequence, so a repeated dead
   * letter for the same message is dropped too.
   */
  private async deadLetter(msg: JsMsg, reason: string, eventId?: string): Promise<void> {
    const { eventStream, deadLetterStream, fleet } = this.options;
    const letter = toDeadLetter(reason, msg.data, {
      eventId,
      stream: eventStream,
      seq: msg.seq,
      subject: msg.subject,
      deliveryCount: msg.info.deliveryCount,
    });
    try {
      await fleet.js.publish(this.subjects.dead, JSON.stringify(letter), {
        msgID: `${eventStream}:${msg.seq}`,
        expect: { streamName: deadLetterStream },
      });
    } catch (error) {
      msg.nak(this.options.retryDelayMs ?? 1000);
      this.log.error(
        { err: messageOf(error), eventId, seq: msg.seq, reason },
        "failed to publish a dead letter; the event will be delivered again",
      );
      return;
    }
    msg.term();
    this.stats.deadLettered++;
    const suppressed = this.limits.deadLetter.take();
    if (suppressed >= 0) {
      this.log.warn(
        { eventId, seq: msg.seq, reason, suppressed },
        "event sent to the dead-letter stream",
      );
    }
  }

  private noteRedelivery(msg: JsMsg, deliveryCount: number) {
    this.stats.redelivered++;
    const suppressed = this.limits.redelivery.take();
    if (suppressed >= 0) {
      this.log.info({ seq: msg.seq, deliveryCount, suppressed }, "event redelivered");
    }
  }

  private noteDuplicate(eventId: string) {
    this.stats.duplicateResults++;
    const suppressed = this.limits.duplicate.take();
    if (suppressed >= 0) {
      this.log.info(
        { eventId, suppressed },
        "result dropped as a duplicate: this event id was scored before",
      );
    }
  }
}
