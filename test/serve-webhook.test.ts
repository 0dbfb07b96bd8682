import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { ServeMetrics } from "../src/serve/metrics.js";
import { WebhookSender } from "../src/serve/webhook.js";
import {
  LogCapture,
  anomalousOrder,
  get,
  metricValue,
  post,
  startTestServer,
  waitFor,
} from "./serve-support.js";

interface Receiver {
  url: string;
  /** Every request body received, parsed, including failed attempts. */
  attempts: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts a webhook receiver on loopback that responds to attempt n with `respond(n, res)`. */
async function startReceiver(
  respond: (attempt: number, res: ServerResponse) => void,
): Promise<Receiver> {
  const attempts: Record<string, unknown>[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      attempts.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      respond(attempts.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    attempts,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number): void {
  res.writeHead(status, { "content-type": "application/json" }).end("{}");
}

test("webhook delivers after failed attempts", async () => {
  const receiver = await startReceiver((attempt, res) => reply(res, attempt <= 2 ? 503 : 200));
  const server = await startTestServer({
    webhook: { url: receiver.url, baseDelayMs: 20, maxAttempts: 5 },
  });
  try {
    const { body } = await post(`${server.url}/v1/score`, anomalousOrder("hook-1"));
    assert.notEqual(body.action, "allow");
    await waitFor("delivery", () => receiver.attempts.length === 3);

    const delivered = receiver.attempts[2];
    assert.equal(delivered.type, "anomaly");
    assert.equal(delivered.reviewId, "hook-1");
    assert.equal(delivered.eventId, "hook-1");
    assert.equal(delivered.score, body.score);
    assert.equal(delivered.action, body.action);
    assert.equal((delivered.topDeviations as unknown[]).length, 3);
    assert.deepEqual(delivered.event, anomalousOrder("hook-1"));

    await waitFor("delivered metric", async () => {
      const metrics = await get(`${server.url}/metrics`);
      return metricValue(metrics.body, "sigh_webhook_deliveries_total", 'outcome="delivered"') === 1;
    });
    const metrics = await get(`${server.url}/metrics`);
    assert.equal(metricValue(metrics.body, "sigh_webhook_retries_total"), 2);
    const retries = server.logs.withMessage("webhook delivery failed, retrying");
    assert.equal(retries.length, 2);
    assert.deepEqual(retries.map((l) => l.attempt), [1, 2]);
    assert.ok(retries.every((l) => l.reviewId === "hook-1" && l.failure === "HTTP 503"));
  } finally {
    await server.stop();
    await receiver.close();
  }
});

test("webhook counts exhausted retries", async () => {
  const receiver = await startReceiver((_attempt, res) => reply(res, 500));
  const logs = new LogCapture();
  const metrics = new ServeMetrics({ defaultMetrics: false });
  const sender = new WebhookSender({ url: receiver.url, baseDelayMs: 5, maxAttempts: 3 },
    logs.logger, metrics);
  try {
    assert.equal(sender.enqueue({ reviewId: "r-1" }), true);
    await waitFor("retries exhausted", () => logs.withMessage("webhook delivery abandoned").length === 1);
    assert.equal(receiver.attempts.length, 3);
    const text = await metrics.registry.metrics();
    assert.equal(metricValue(text, "sigh_webhook_deliveries_total", 'outcome="retries_exhausted"'), 1);
    const line = logs.withMessage("webhook delivery abandoned")[0];
    assert.equal(line.reviewId, "r-1");
    assert.equal(line.attempts, 3);
  } finally {
    await sender.close(100);
    await receiver.close();
  }
});

test("webhook does not retry a 400", async () => {
  const receiver = await startReceiver((_attempt, res) => reply(res, 400));
  const logs = new LogCapture();
  const metrics = new ServeMetrics({ defaultMetrics: false });
  const sender = new WebhookSender({ url: receiver.url, baseDelayMs: 5 }, logs.logger, metrics);
  try {
    sender.enqueue({ reviewId: "r-400" });
    await waitFor("rejection", () => logs.withMessage("webhook delivery abandoned").length === 1);
    assert.equal(receiver.attempts.length, 1);
    const text = await metrics.registry.metrics();
    assert.equal(metricValue(text, "sigh_webhook_deliveries_total", 'outcome="rejected"'), 1);
  } finally {
    await sender.close(100);
    await receiver.close();
  }
});

test("webhook queue full and shutdown losses", async () => {
  // The receiver keeps every request open, so nothing completes until shutdown.
  const openResponses: ServerResponse[] = [];
  const receiver = await startReceiver((_attempt, res) => openResponses.push(res));
  const server = await startTestServer({
    webhook: { url: receiver.url, queueSize: 2, concurrency: 1, timeoutMs: 10_000 },
    drainTimeoutMs: 100,
  });
  try {
    for (const id of ["q-1", "q-2", "q-3"]) {
      const { status } = await post(`${server.url}/v1/score`, anomalousOrder(id));
      assert.equal(status, 200, "scoring does not wait for the webhook");
    }
    await waitFor("first attempt", () => receiver.attempts.length === 1);
    const metrics = await get(`${server.url}/metrics`);
    assert.equal(metricValue(metrics.body, "sigh_webhook_deliveries_total", 'outcome="queue_full"'), 1);
    assert.equal(metricValue(metrics.body, "sigh_webhook_queue_depth"), 2);
    const full = server.logs.withMessage("webhook delivery abandoned");
    assert.deepEqual(full.map((l) => [l.reviewId, l.outcome, l.dropped]), [["q-3", "queue_full", 1]]);

    await server.service.close();
    const lost = server.logs.withMessage("webhook delivery abandoned")
      .filter((l) => l.outcome === "abandoned_at_shutdown");
    const queued = lost.find((l) => l.count === 1);
    assert.deepEqual(queued?.reviewIds, ["q-2"], "the queued payload is listed");
    const inFlight = lost.find((l) => l.reviewId !== undefined);
    assert.equal(inFlight?.reviewId, "q-1", "the aborted POST logs its own line");
    const text = await server.service.metrics.registry.metrics();
    assert.equal(
      metricValue(text, "sigh_webhook_deliveries_total", 'outcome="abandoned_at_shutdown"'), 2);
  } finally {
    for (const res of openResponses) res.destroy();
    await server.stop();
    await receiver.close();
  }
});
