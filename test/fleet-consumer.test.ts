/**
 * The scoring loop in-process against a real nats-server on loopback, with a stub model:
 * results, alerts, dead letters, duplicate suppression and idempotent setup.
 */

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EventRecord, ScoreResult } from "../src/engine/types.js";
import { InputError } from "../src/engine/errors.js";
import { connectFleet, type FleetConnection } from "../src/fleet/connect.js";
import { Scorer } from "../src/fleet/consumer.js";
import type {
  DeadLetterMessage,
  ResultMessage,
  ScoringModel,
} from "../src/fleet/events.js";
import type { FleetLogger } from "../src/fleet/log.js";
import { startNatsServer, type NatsServerHandle } from "../src/fleet/nats-server.js";
import { readStreamJson } from "../src/fleet/stream-reader.js";
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  defaultEventSubjects,
  ensureTopology,
  type FleetTopology,
} from "../src/fleet/streams.js";
import { captureLogger, waitFor } from "./fleet-support.js";

/** Flags `a > 10`; the score is `a / 10`. */
const stubModel: ScoringModel = {
  featureNames: ["a", "b"],
  modelId: "stub-1",
  score(record: EventRecord): ScoreResult {
    const a = (record as { a: number }).a;
    return {
      isAnomaly: a > 10,
      cluster: a > 10 ? -1 : 0,
      clusterName: a > 10 ? "noise" : "Cluster 0",
      nearestCluster: 0,
      nearestClusterName: "Cluster 0",
      distance: a,
      score: a / 10,
      deviations: [],
    };
  },
};

const topology: FleetTopology = {
  eventStream: "ORDERS",
  eventSubjects: defaultEventSubjects("ORDERS"),
  consumer: "scorers",
  resultsStream: "SIGH_RESULTS",
  deadLetterStream: "SIGH_DEAD",
  ackWaitSeconds: 2,
  maxDeliver: 3,
  maxAckPending: 1000,
  duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS,
};


describe("fleet scoring loop", { timeout: 30_000 }, () => {
  let server: NatsServerHandle;
  let fleet: FleetConnection;

  before(async () => {
    server = await startNatsServer();
    fleet = await connectFleet(server.url);
  });

  after(async () => {
    await fleet?.nc.close();
    await server?.stop();
  });

  test("setup is idempotent", async () => {
    const first = await ensureTopology(fleet.jsm, topology);
    const second = await ensureTopology(fleet.jsm, topology);
    assert.equal(first.created.length, 4);
    assert.deepEqual(second.created, []);
    assert.equal(second.existing.length, 4);
    assert.deepEqual(second.warnings, []);
    const changed = await ensureTopology(fleet.jsm, { ...topology, ackWaitSeconds: 30 });
    assert.deepEqual(changed.warnings, [
      "consumer ORDERS/scorers keeps ack_wait 2 s (requested 30 s)",
    ]);
    const results = await fleet.jsm.streams.info("SIGH_RESULTS");
    assert.equal(results.config.duplicate_window, DEFAULT_DUPLICATE_WINDOW_MS * 1e6);
  });

  test("scores, alerts and dead-letters events", async () => {
    const { lines, logger } = captureLogger();
    const scorer = new Scorer({
      fleet,
      eventStream: "ORDERS",
      consumer: "scorers",
      resultsStream: "SIGH_RESULTS",
      deadLetterStream: "SIGH_DEAD",
      idField: "id",
      models: { current: stubModel },
      batch: 16,
      maxDeliver: 3,
      logger,
    });
    await scorer.start();

    const publish = (body: string) => fleet.js.publish("orders.new", body);
    for (let i = 0; i < 50; i++) {
      await publish(JSON.stringify({ id: `e${i}`, a: i % 20, b: 1 }));
    }
    // The same event id again: its result must be dropped as a duplicate.
    await publish(JSON.stringify({ id: "e3", a: 3, b: 1 }));
    await publish("{not json");
    await publish(JSON.stringify({ id: "bad-b", a: 1, b: "7" }));
    await publish(JSON.stringify({ a: 1, b: 2 }));
    await publish(JSON.stringify([1, 2]));

    const handled = () => scorer.stats.scored + scorer.stats.deadLettered >= 55;
    await waitFor(handled, 10_000, "55 events");
    await scorer.stop();

    assert.equal(scorer.stats.scored, 51);
    assert.equal(scorer.stats.duplicateResults, 1);
    assert.equal(scorer.stats.deadLettered, 4);

    const results = await readStreamJson<ResultMessage>(
      fleet.js, "SIGH_RESULTS", "sigh.results.>",
    );
    assert.equal(results.length, 50);
    assert.equal(new Set(results.map((r) => r.eventId)).size, 50);
    const e15 = results.find((r) => r.eventId === "e15");
    assert.equal(e15?.isAnomaly, true);
    assert.equal(e15?.score, 1.5);
    assert.equal(e15?.modelId, "stub-1");

    const alerts = await readStreamJson<ResultMessage>(
      fleet.js, "SIGH_RESULTS", "sigh.alerts.>",
    );
    const expectedAlerts = results.filter((r) => r.isAnomaly).map((r) => r.eventId).sort();
    assert.deepEqual(alerts.map((r) => r.eventId).sort(), expectedAlerts);

    const dead = await readStreamJson<DeadLetterMessage>(
      fleet.js, "SIGH_DEAD", "sigh.dead.>",
    );
    const reasons = dead.map((d) => d.reason);
    assert.equal(dead.length, 4);
    assert.match(reasons[0], /^invalid JSON/);
    assert.equal(dead[0].payload, "{not json");
    assert.match(reasons[1], /^feature "b": invalid value "7"/);
    assert.equal(dead[1].eventId, "bad-b");
    assert.equal(reasons[2], 'id field "id": missing');
    assert.match(reasons[3], /expected a JSON object, got an array/);

    const deadLogs = lines.filter((l) => l.msg === "event sent to the dead-letter stream");
    assert.equal(deadLogs.length, 4);
  });

  /** A scorer that retries failed events quickly, allowing up to 10 deliveries. */
  const retryingScorer = (model: ScoringModel, logger: FleetLogger) =>
    new Scorer({
      fleet,
      eventStream: "ORDERS",
      consumer: "scorers",
      resultsStream: "SIGH_RESULTS",
      deadLetterStream: "SIGH_DEAD",
      idField: "id",
      models: { current: model },
      batch: 4,
      maxDeliver: 10,
      retryDelayMs: 50,
      logger,
    });

  test("failing model retries, then dead-letters", async () => {
    const { lines, logger } = captureLogger();
    const broken: ScoringModel = {
      ...stubModel,
      score() {
        throw new Error("index corrupted");
      },
    };
    // maxDeliver 10 is more than the consumer's max_deliver of 3: the server's limit must win.
    const scorer = retryingScorer(broken, logger);
    await scorer.start();
    await fleet.js.publish("orders.new", JSON.stringify({ id: "x1", a: 1, b: 1 }));
    await waitFor(() => scorer.stats.deadLettered === 1, 10_000, "a dead letter");
    await scorer.stop();

    assert.equal(scorer.stats.retried, 2);
    assert.equal(scorer.stats.redelivered, 2);
    const dead = await readStreamJson<DeadLetterMessage>(
      fleet.js, "SIGH_DEAD", "sigh.dead.>",
    );
    const last = dead.at(-1);
    assert.equal(last?.eventId, "x1");
    assert.equal(last?.reason, "failed after 3 deliveries: index corrupted");
    assert.equal(lines.filter((l) => l.msg === "event redelivered").length, 2);
  });

  test("out-of-range value is dead-lettered at once", async () => {
    const { logger } = captureLogger();
    const strict: ScoringModel = {
      ...stubModel,
      score() {
        throw new InputError('feature "a": expected a magnitude of at most 1e+150, received 1e+300', {
          field: "a",
        });
      },
    };
    const scorer = retryingScorer(strict, logger);
    await scorer.start();
    const before = scorer.stats.deadLettered;
    await fleet.js.publish("orders.new", JSON.stringify({ id: "huge-1", a: 1e300, b: 1 }));
    await waitFor(() => scorer.stats.deadLettered === before + 1, 10_000, "a dead letter");
    await scorer.stop();

    assert.equal(scorer.stats.retried, 0, "bad input is not retried");
    const dead = await readStreamJson<DeadLetterMessage>(fleet.js, "SIGH_DEAD", "sigh.dead.>");
    const last = dead.at(-1);
    assert.equal(last?.eventId, "huge-1");
    assert.equal(last?.reason, 'feature "a": expected a magnitude of at most 1e+150, received 1e+300');
  });
});
