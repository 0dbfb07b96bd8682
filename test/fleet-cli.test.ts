/**
 * The fleet commands as processes: graceful stop on SIGTERM, models from the bucket, and
 * the errors of `sigh publish`, `sigh publish-model` and `sigh consume`.
 */

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectFleet, type FleetConnection } from "../src/fleet/connect.js";
import type { ResultMessage } from "../src/fleet/events.js";
import {
  killAndWait,
  startNatsServer,
  type NatsServerHandle,
} from "../src/fleet/nats-server.js";
import { readStreamJson } from "../src/fleet/stream-reader.js";
import { ROOT, children, sigh } from "./fleet-support.js";

const ORDERS_CSV = join(ROOT, "../shared/fixtures/original-orders/bobs_burgers_orders.csv");


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

describe("fleet commands", { timeout: 60_000 }, () => {
  let server: NatsServerHandle;
  let fleet: FleetConnection;
  let workDir: string;
  let modelPath: string;

  before(async () => {
    server = await startNatsServer();
    fleet = await connectFleet(server.url);
    workDir = mkdtempSync(join(tmpdir(), "sigh-fleet-cli-"));
    modelPath = join(workDir, "model.bin");
    const train = sigh(["train", ORDERS_CSV, "--model", modelPath]);
    assert.equal((await train.exit).code, 0, train.stderr);
  });

  after(async () => {
    for (const child of children) child.process.kill("SIGKILL");
    await Promise.all(children.map((child) => killAndWait(child.process, 0)));
    await fleet?.nc.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test("consume without a model is a usage error", async () => {
    const child = sigh(["consume", "--nats", server.url]);
    assert.equal((await child.exit).code, 2);
    assert.match(child.stderr, /missing option --model FILE or --model-bucket NAME/);
  });

  test("publish names a missing id column", async () => {
    const child = sigh([
      "publish", ORDERS_CSV, "--nats", server.url, "--subject", "orders.new",
      "--id-field", "id",
    ]);
    assert.equal((await child.exit).code, 1);
    assert.match(child.stderr, /column "id" not found/);
  });

  test("publish-model rejects a corrupt file", async () => {
    const badPath = join(workDir, "bad.bin");
    writeFileSync(badPath, "not a model");
    const child = sigh(["publish-model", badPath, "--nats", server.url]);
    assert.equal((await child.exit).code, 1);
    assert.match(child.stderr, /model file .*bad\.bin/);
  });

  test("SIGTERM acknowledges in-flight events", async (t) => {
    // Three copies of the fixture with fresh ids, so no copy is dropped as a duplicate.
    const [header, ...rows] = readFileSync(ORDERS_CSV, "utf8").trim().split("\n");
    const eventsPath = join(workDir, "events.csv");
    const lines = [header];
    for (let copy = 0; copy < 3; copy++) {
      for (const row of rows) lines.push(row.replace(/^ORD_/, `C${copy}_`));
    }
    writeFileSync(eventsPath, lines.join("\n") + "\n");
    const publish = sigh([
      "publish", eventsPath, "--nats", server.url, "--subject", "orders.new",
      "--stream", "ORDERS",
    ]);
    assert.equal((await publish.exit).code, 0, publish.stderr);

    // A long ack wait: events left unacknowledged would stay pending after the exit.
    const consume = sigh([
      "consume", "--nats", server.url, "--model", modelPath,
      "--ack-wait", "60", "--batch", "32",
    ]);
    const info = () => fleet.jsm.consumers.info("ORDERS", "scorers");
    const acknowledged = async () => {
      const started = consume.stderr.includes("\"consumer started\"");
      return started && (await info()).ack_floor.stream_seq > 200;
    };
    await waitFor(acknowledged, 20_000, "the first 200 acks", t.signal);
    consume.process.kill("SIGTERM");
    assert.equal((await consume.exit).code, 0, consume.stderr);

    const after = await info();
    assert.equal(after.num_ack_pending, 0);
    assert.ok(after.num_pending > 0, "the whole backlog was drained before SIGTERM");
    const stats = JSON.parse(consume.stdout.trim());
    const results = await readStreamJson<ResultMessage>(
      fleet.js, "SIGH_RESULTS", "sigh.results.>",
    );
    assert.equal(results.length, stats.scored);
    assert.equal(after.ack_floor.stream_seq, stats.scored);
    assert.match(consume.stderr, /"msg":"consumer stopped"/);
  });

  test("consume loads its model from the bucket", async (t) => {
    const consume = sigh([
      "consume", "--nats", server.url, "--model-bucket", "sigh-models", "--ack-wait", "60",
    ]);
    const waiting = () => consume.stderr.includes("\"waiting for a model\"");
    await waitFor(waiting, 20_000, "the wait for a model", t.signal);
    const upload = sigh(["publish-model", modelPath, "--nats", server.url]);
    assert.equal((await upload.exit).code, 0, upload.stderr);
    const manifest = JSON.parse(upload.stdout);
    const started = () => consume.stderr.includes("\"consumer started\"");
    await waitFor(started, 20_000, "the consumer to start", t.signal);
    const loaded = new RegExp(`"modelId":"${manifest.modelId}"[^\\n]*"model loaded"`);
    assert.match(consume.stderr, loaded);
    consume.process.kill("SIGTERM");
    assert.equal((await consume.exit).code, 0, consume.stderr);
  });
});
