import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultSettings } from "../src/serve/prepare.js";
import { ReviewStore } from "../src/serve/review-store.js";
import { startServer } from "../src/serve/server.js";
import {
  LogCapture,
  anomalousOrder,
  decodeModel,
  encodeModel,
  get,
  metricValue,
  normalOrder,
  post,
  replaceAtomically,
  startTestServer,
  trainModel,
  waitFor,
} from "./serve-support.js";

/** Sends requests from `workers` loops until stopped; records every failure. */
function startTraffic(url: string, workers = 4) {
  const failures: string[] = [];
  const modelIds = new Set<string>();
  let sent = 0;
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running) {
      const event = sent % 7 === 0 ? anomalousOrder(`t-${w}-${sent}`) : normalOrder();
      sent++;
      try {
        const { status, body } = await post(`${url}/v1/score`, event);
        if (status !== 200) failures.push(`HTTP ${status}: ${JSON.stringify(body)}`);
        else modelIds.add(body.modelId);
      } catch (error) {
        failures.push(String(error));
      }
    }
  });
  return {
    failures,
    modelIds,
    get sent() {
      return sent;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

test("reload under traffic: good, corrupt, truncated", async () => {
  const server = await startTestServer();
  const { holder } = server.service;
  const firstId = holder.current!.model.modelId;
  const traffic = startTraffic(server.url);
  try {
    await waitFor("traffic", () => traffic.sent > 50);

    // A new model published by rename is picked up by the file watcher.
    const second = trainModel(2);
    replaceAtomically(server.modelPath, encodeModel(second));
    await waitFor("model swap", () => holder.current?.model.modelId === second.modelId);
    assert.equal(holder.current?.version, 2);
    assert.equal(await holder.reload("same file"), "unchanged");
    assert.equal(holder.current?.version, 2);
    const sentAtSwap = traffic.sent;
    await waitFor("traffic on the new model", () => traffic.sent > sentAtSwap + 50);

    // A corrupt file is rejected and the second model keeps serving.
    replaceAtomically(server.modelPath, new TextEncoder().encode("not a model"));
    await waitFor("failed reload", () => server.logs.withMessage("model reload failed").length >= 1);
    assert.equal(holder.current?.model.modelId, second.modelId);

    // So is a file truncated in place.
    writeFileSync(server.modelPath, new Uint8Array(0));
    await waitFor("second failed reload",
      () => server.logs.withMessage("model reload failed").length >= 2);
    assert.equal(holder.current?.model.modelId, second.modelId);
    const ready = await get(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    const sentAfter = traffic.sent;
    await waitFor("traffic after failures", () => traffic.sent > sentAfter + 50);
  } finally {
    await traffic.stop();
  }

  assert.deepEqual(traffic.failures, []);
  assert.deepEqual([...traffic.modelIds].sort(), [firstId, trainModel(2).modelId].sort());
  const failed = server.logs.withMessage("model reload failed")[0];
  assert.equal(failed.servingModelId, trainModel(2).modelId);
  assert.ok(String((failed.err as { message: string }).message).includes(server.modelPath));
  const metrics = await get(`${server.url}/metrics`);
  assert.ok((metricValue(metrics.body, "sigh_model_reloads_total", 'outcome="failed"') ?? 0) >= 2);
  assert.ok((metricValue(metrics.body, "sigh_model_reloads_total", 'outcome="swapped"') ?? 0) >= 2);
  assert.match(metrics.body,
    new RegExp(`sigh_model_info\\{model_id="${trainModel(2).modelId}",version="2"\\} 1`));
  await server.stop();
});

test("SIGHUP reloads and SIGTERM drains", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sigh-serve-signals-"));
  const modelPath = join(dir, "model.sigh");
  writeFileSync(modelPath, encodeModel(trainModel(1)));
  const logs = new LogCapture();
  const { service, url, stopped } = await startServer(
    { modelPath, decode: decodeModel, settings: defaultSettings(), log: logs.logger,
      watch: false, processMetrics: false, reviewFlushMs: 60_000 },
    { port: 0, host: "127.0.0.1" },
  );
  try {
    writeFileSync(modelPath, encodeModel(trainModel(3)));
    process.kill(process.pid, "SIGHUP");
    await waitFor("SIGHUP reload", () => service.holder.current?.model.modelId === trainModel(3).modelId);

    // A flagged event still waiting for its batch write must reach the database at shutdown.
    const answer = await post(`${url}/v1/score`, anomalousOrder("drain-1"));
    assert.equal(answer.status, 200);
    assert.equal(service.store.pendingCount, 1);
    process.kill(process.pid, "SIGTERM");
    await stopped;
    assert.equal(logs.withMessage("shutdown finished").length, 1);

    const store = new ReviewStore(service.store.path);
    assert.equal(store.get("drain-1")?.action, answer.body.action);
    store.close();
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("shutdown finishes in-flight requests", async () => {
  // A test hook parks each score request until the gate opens, so the request is
  // certainly in flight when the shutdown starts.
  let markReceived!: () => void;
  const received = new Promise<void>((resolve) => (markReceived = resolve));
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const server = await startTestServer({
    beforeListen: (service) => {
      service.app.addHook("preHandler", async (request) => {
        if (request.url !== "/v1/score") return;
        markReceived();
        await gate;
      });
    },
  });
  try {
    const inFlight = post(`${server.url}/v1/score`, anomalousOrder("late-1"));
    await received;
    const closing = server.service.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(server.logs.withMessage("shutdown finished").length, 0, "shutdown waits");
    openGate();

    const answer = await inFlight;
    assert.equal(answer.status, 200);
    assert.equal(answer.body.eventId, "late-1");
    await closing;
    await assert.rejects(post(`${server.url}/v1/score`, normalOrder()), /fetch failed/);
    const store = new ReviewStore(server.service.store.path);
    assert.equal(store.get("late-1")?.eventId, "late-1");
    store.close();
  } finally {
    openGate();
    await server.stop();
  }
});
