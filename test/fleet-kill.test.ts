/**
 * The fleet end to end on a real nats-server: 20,000 events from `sigh publish`, three
 * `sigh consume` processes, one killed with SIGKILL while events remain. Every event must
 * end with exactly one result, and malformed events in the dead-letter stream.
 */

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectFleet, type FleetConnection } from "../src/fleet/connect.js";
import type { DeadLetterMessage, ResultMessage } from "../src/fleet/events.js";
import {
  killAndWait,
  startNatsServer,
  type NatsServerHandle,
} from "../src/fleet/nats-server.js";
import { readStreamJson } from "../src/fleet/stream-reader.js";
import { ROOT, children, sigh, type SighProcess } from "./fleet-support.js";

const ORDERS_CSV = join(ROOT, "../shared/fixtures/original-orders/bobs_burgers_orders.csv");
const EVENT_COUNT = 20_000;
const FEATURES = [
  "items_per_order", "time_since_last_order", "order_time",
  "customer_frequency", "total_cost", "prep_time_estimate",
];


async function runToEnd(args: string[]): Promise<SighProcess> {
  const child = sigh(args);
  const { code } = await child.exit;
  assert.equal(code, 0, `sigh ${args[0]} failed:\n${child.stderr}`);
  return child;
}

function logLines(child: SighProcess): Record<string, unknown>[] {
  const lines = child.stderr.split("\n").filter((line) => line.startsWith("{"));
  return lines.map((line) => JSON.parse(line));
}

/** Polls `check` until it returns true; throws on timeout or when the test is aborted. */
async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  signal?: AbortSignal,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    signal?.throwIfAborted();
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Builds a CSV of `count` events from the fixture's rows, with ids EV00000, EV00001... */
function eventsCsv(count: number): string {
  const [header, ...rows] = readFileSync(ORDERS_CSV, "utf8").trim().split("\n");
  const columns = header.split(",");
  const picks = FEATURES.map((name) => columns.indexOf(name));
  const lines = ["order_id," + FEATURES.join(",")];
  for (let i = 0; i < count; i++) {
    const cells = rows[i % rows.length].split(",");
    const id = `EV${String(i).padStart(5, "0")}`;
    lines.push([id, ...picks.map((k) => cells[k])].join(","));
  }
  return lines.join("\n") + "\n";
}

describe("scorer fleet with a killed process", { timeout: 60_000 }, () => {
  let server: NatsServerHandle;
  let fleet: FleetConnection;
  let workDir: string;

  before(async () => {
    server = await startNatsServer();
    fleet = await connectFleet(server.url);
    workDir = mkdtempSync(join(tmpdir(), "sigh-fleet-test-"));
  });

  after(async () => {
    for (const child of children) child.process.kill("SIGKILL");
    await Promise.all(children.map((child) => killAndWait(child.process, 0)));
    await fleet?.nc.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test("every event gets exactly one result", async (t) => {
    const modelPath = join(workDir, "model.bin");
    await runToEnd(["train", ORDERS_CSV, "--model", modelPath]);
    const eventsPath = join(workDir, "events.csv");
    writeFileSync(eventsPath, eventsCsv(EVENT_COUNT));

    // The whole backlog is stored before any consumer starts, so every consumer is busy
    // until the kill.
    const published = await runToEnd([
      "publish", eventsPath, "--nats", server.url, "--subject", "orders.new",
      "--stream", "ORDERS",
    ]);
    assert.equal(JSON.parse(published.stdout).published, EVENT_COUNT);
    await fleet.js.publish("orders.new", "{\"order_id\": \"broken");
    const noFeatures = { order_id: "NOFEAT", total_cost: 3 };
    await fleet.js.publish("orders.new", JSON.stringify(noFeatures));
    await fleet.js.publish("orders.new", JSON.stringify({ items_per_order: 1 }));

    // The consumers wait for a model from the bucket, so all three start pulling when it
    // arrives, however long each took to start up.
    const consumeArgs = [
      "consume", "--nats", server.url, "--stream", "ORDERS", "--consumer", "scorers",
      "--model-bucket", "sigh-models", "--ack-wait", "2", "--batch", "64",
    ];
    const scorers = [sigh(consumeArgs), sigh(consumeArgs), sigh(consumeArgs)];
    const waiting = (child: SighProcess) => child.stderr.includes("\"waiting for a model\"");
    const allWaiting = () => scorers.every(waiting);
    await waitFor(allWaiting, 20_000, "three consumers to wait", t.signal);
    await runToEnd(["publish-model", modelPath, "--nats", server.url]);
    const started = (child: SighProcess) => child.stderr.includes("\"consumer started\"");
    const allStarted = () => scorers.every(started);
    await waitFor(allStarted, 20_000, "three consumers to start", t.signal);

    const info = () => fleet.jsm.consumers.info("ORDERS", "scorers");
    const progress = async () => (await info()).ack_floor;
    const acknowledged = async () => (await progress()).stream_seq >= 2000;
    await waitFor(acknowledged, 20_000, "2,000 acks", t.signal);
    const [victim, ...survivors] = scorers;
    victim.process.kill("SIGKILL");
    const acknowledgedAtKill = (await progress()).stream_seq;
    assert.ok(
      acknowledgedAtKill < EVENT_COUNT - 1000,
      `the fleet finished before the kill (ack floor ${acknowledgedAtKill})`,
    );

    await waitFor(async () => {
      const info = await fleet.jsm.consumers.info("ORDERS", "scorers");
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 30_000, "every event to be acknowledged or terminated", t.signal);

    for (const survivor of survivors) survivor.process.kill("SIGTERM");
    const exits = await Promise.all(survivors.map((s) => s.exit));
    assert.deepEqual(exits.map((e) => e.code), [0, 0]);

    // Exactly one result per published event, none lost, none twice.
    const results = await readStreamJson<ResultMessage>(
      fleet.js, "SIGH_RESULTS", "sigh.results.>",
    );
    const ids = new Set(results.map((r) => r.eventId));
    assert.equal(results.length, EVENT_COUNT);
    assert.equal(ids.size, EVENT_COUNT);
    for (let i = 0; i < EVENT_COUNT; i += 997) {
      assert.ok(ids.has(`EV${String(i).padStart(5, "0")}`), `no result for EV${i}`);
    }
    const first = results[0];
    assert.equal(typeof first.score, "number");
    assert.equal(typeof first.isAnomaly, "boolean");
    assert.deepEqual(first.deviations.map((d) => d.feature), FEATURES);

    const alerts = await readStreamJson<ResultMessage>(
      fleet.js, "SIGH_RESULTS", "sigh.alerts.>",
    );
    assert.equal(alerts.length, results.filter((r) => r.isAnomaly).length);
    assert.ok(alerts.length > 0, "no anomaly among 20,000 events");

    // The victim's unacknowledged events were redelivered to the survivors.
    const survivorLogs = survivors.flatMap(logLines);
    const stats = survivors.map((s) => JSON.parse(s.stdout.trim()));
    const redelivered = stats.reduce((sum, s) => sum + s.redelivered, 0);
    const scoredBySurvivors = stats.reduce((sum, s) => sum + s.scored, 0);
    assert.ok(scoredBySurvivors < EVENT_COUNT, "the killed consumer scored nothing");
    assert.ok(redelivered > 0, "no event was redelivered after the kill");
    assert.ok(survivorLogs.some((l) => l.msg === "event redelivered"));
    assert.equal(survivorLogs.filter((l) => l.msg === "consumer stopped").length, 2);

    // Malformed events are in the dead-letter stream with their reasons.
    const dead = await readStreamJson<DeadLetterMessage>(
      fleet.js, "SIGH_DEAD", "sigh.dead.>",
    );
    const reasons = dead.map((d) => d.reason).sort();
    assert.equal(dead.length, 3);
    assert.match(reasons[0], /^feature "items_per_order": missing$/);
    assert.match(reasons[1], /^id field "order_id": missing$/);
    assert.match(reasons[2], /^invalid JSON/);
  });
});
