import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { finished } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import { command as reviewCommand } from "../src/cli/commands/review.js";
import type { CliIo } from "../src/cli/command.js";
import { ReviewStore } from "../src/serve/review-store.js";
import {
  anomalousOrder,
  get,
  metricValue,
  normalOrder,
  post,
  startTestServer,
  type TestServer,
} from "./serve-support.js";

describe("review queue over HTTP", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  test("same event id stored once", async () => {
    const first = await post(`${server.url}/v1/score`, anomalousOrder("dup-1"));
    const second = await post(`${server.url}/v1/score`, anomalousOrder("dup-1", 2));
    const batch = await post(`${server.url}/v1/score`, [anomalousOrder("dup-1"), anomalousOrder("dup-1")]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(batch.status, 200);
    const items = server.service.store.list("all", 1000).filter((i) => i.id === "dup-1");
    assert.equal(items.length, 1);
    assert.equal(items[0].score, first.body.score, "the first stored row is kept");
    assert.deepEqual(items[0].event, anomalousOrder("dup-1"));
    const metrics = await get(`${server.url}/metrics`);
    assert.equal(metricValue(metrics.body, "sigh_review_rows_written_total"), 1);
  });

  test("normal events are not stored", async () => {
    await post(`${server.url}/v1/score`, normalOrder("calm-1"));
    assert.equal(server.service.store.get("calm-1"), undefined);
  });

  test("generated id finds the item", async () => {
    const { body } = await post(`${server.url}/v1/score`, anomalousOrder());
    const item = await get(`${server.url}/v1/review/${body.eventId}`);
    assert.equal(item.status, 200);
    assert.equal(item.body.id, body.eventId);
    assert.equal(item.body.eventId, null);
    assert.equal(item.body.status, "open");
    assert.equal(item.body.deviations.length, 6);
  });

  test("list, show and resolve", async () => {
    await post(`${server.url}/v1/score`, anomalousOrder("res-1"));
    const open = await get(`${server.url}/v1/review?status=open&limit=500`);
    assert.equal(open.status, 200);
    assert.ok(open.body.items.some((i: { id: string }) => i.id === "res-1"));

    const resolved = await post(`${server.url}/v1/review/res-1`,
      { verdict: "false-positive", note: "bulk catering order" });
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.status, "resolved");
    assert.equal(resolved.body.verdict, "false-positive");
    assert.equal(resolved.body.note, "bulk catering order");
    assert.match(resolved.body.resolvedAt, /^\d{4}-\d\d-\d\dT/);

    const done = await get(`${server.url}/v1/review?status=resolved`);
    assert.deepEqual(done.body.items.map((i: { id: string }) => i.id), ["res-1"]);
    const stillOpen = await get(`${server.url}/v1/review`);
    assert.ok(!stillOpen.body.items.some((i: { id: string }) => i.id === "res-1"));
  });

  test("bad review requests", async () => {
    const cases: [string, Promise<{ status: number; body: any }>, number, string, string?][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      ["unknown id", get(`${server.url}/v1/review/nope`), 404, "NOT_FOUND"],
      ["resolve unknown id", post(`${server.url}/v1/review/nope`, { verdict: "true-positive" }),
        404, "NOT_FOUND"],
      ["bad verdict", post(`${server.url}/v1/review/dup-1`, { verdict: "maybe" }), 400,
        "INVALID_BODY", "verdict"],
      ["missing verdict", post(`${server.url}/v1/review/dup-1`, { note: "x" }), 400,
        "INVALID_BODY", "verdict"],
      ["note not a string", post(`${server.url}/v1/review/dup-1`,
        { verdict: "true-positive", note: 5 }), 400, "INVALID_BODY", "note"],
      ["bad status", get(`${server.url}/v1/review?status=closed`), 400, "INVALID_QUERY", "status"],
      ["bad limit", get(`${server.url}/v1/review?limit=0`), 400, "INVALID_QUERY", "limit"],
      ["unknown query", get(`${server.url}/v1/review?sort=up`), 400, "INVALID_QUERY", "sort"],
    ];
    for (const [name, request, status, code, field] of cases) {
      const response = await request;
      assert.equal(response.status, status, name);
      assert.equal(response.body.error.code, code, name);
      if (field) assert.equal(response.body.error.field, field, name);
    }
    assert.equal(server.service.store.get("dup-1")?.status, "open");
  });
});

describe("review command", () => {
  let server: TestServer;
  let dbPath: string;
  before(async () => {
    server = await startTestServer();
    await post(`${server.url}/v1/score`, [anomalousOrder("cli-1"), anomalousOrder("cli-2")]);
    dbPath = server.service.store.path;
    server.service.store.flush();
  });
  after(async () => server.stop());

  test("list as JSON and table", async () => {
    const json = await runReview(["list", "--db", dbPath, "--format", "json"]);
    assert.equal(json.code, 0);
    const ids = (JSON.parse(json.stdout) as { id: string }[]).map((i) => i.id).sort();
    assert.deepEqual(ids, ["cli-1", "cli-2"]);
    const table = await runReview(["list", "--model", server.modelPath]);
    assert.match(table.stdout, /^ID\s+FLAGGED AT\s+ACTION/);
    assert.match(table.stdout, /cli-1 .* open\s+-/);
  });

  test("show and resolve", async () => {
    const showOutput = await runReview(["show", "cli-1", "--db", dbPath]);
    assert.match(showOutput.stdout, /Review item cli-1/);
    assert.match(showOutput.stdout, /total_cost/);
    const resolved = await runReview(["resolve", "cli-1", "--db", dbPath,
      "--verdict", "true-positive", "--note", "confirmed fraud"]);
    assert.equal(resolved.stdout, "cli-1: resolved as true-positive\n");
    // The running service reads the verdict written by the command.
    const item = await get(`${server.url}/v1/review/cli-1`);
    assert.equal(item.body.verdict, "true-positive");
    assert.equal(item.body.note, "confirmed fraud");
  });

  test("command errors", async () => {
    await assert.rejects(runReview(["resolve", "cli-2", "--db", dbPath, "--verdict", "yes"]),
      /invalid value "yes" for --verdict/);
    await assert.rejects(runReview(["show", "zzz", "--db", dbPath]), /no review item has the id "zzz"/);
    await assert.rejects(runReview(["list", "--db", `${dbPath}.missing`]), /not found/);
    await assert.rejects(runReview(["list"]), /--db FILE or --model FILE/);
    await assert.rejects(runReview(["archive", "--db", dbPath]), /unknown action "archive"/);
  });
});

test("reads flush pending rows", () => {
  const store = new ReviewStore(":memory:", { flushIntervalMs: 60_000 });
  store.enqueue({
    id: "mem-1", eventId: "mem-1", createdAt: new Date().toISOString(), modelId: "m",
    modelVersion: 1, score: 3, action: "throttle", nearestCluster: 0, nearestClusterName: "Lunch",
    event: { a: 1 }, deviations: [],
  });
  assert.equal(store.pendingCount, 1);
  assert.equal(store.get("mem-1")?.action, "throttle", "reads flush pending rows first");
  assert.equal(store.pendingCount, 0);
  store.close();
});

test("reused id with new content is reported", () => {
  const conflicts: string[] = [];
  const store = new ReviewStore(":memory:", { flushIntervalMs: 60_000, onConflict: (id) => conflicts.push(id) });
  const item = (event: Record<string, number>) => ({
    id: "A1", eventId: "A1", createdAt: new Date().toISOString(), modelId: "m",
    modelVersion: 1, score: 3, action: "throttle" as const, nearestCluster: 0,
    nearestClusterName: "Lunch", event, deviations: [],
  });
  store.enqueue(item({ items: 35 }));
  store.flush();
  store.enqueue(item({ items: 35 }));
  store.flush();
  assert.deepEqual(conflicts, [], "a retry of the same event is no conflict");
  store.enqueue(item({ items: 80 }));
  store.flush();
  assert.deepEqual(conflicts, ["A1"]);
  assert.deepEqual(store.get("A1")?.event, { items: 35 }, "the first row is kept");
  store.close();
});

async function runReview(args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const io: CliIo = {
    stdout, stderr: new PassThrough(), stdin: new PassThrough(), cwd: process.cwd(),
    stderrIsTTY: false, verbose: false,
  };
  const code = await reviewCommand.run(args, io);
  stdout.end();
  await finished(stdout);
  return { code, stdout: Buffer.concat(chunks).toString("utf8") };
}
