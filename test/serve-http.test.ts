import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  anomalousOrder,
  get,
  metricValue,
  normalOrder,
  post,
  startTestServer,
  type TestServer,
} from "./serve-support.js";

describe("serve endpoints on loopback", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ settings: { bodyLimit: 4096, maxBatch: 5 } });
  });
  after(async () => server.stop());

  test("healthz and readyz", async () => {
    const health = await get(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "ok");
    const ready = await get(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, "ready");
    assert.equal(ready.body.modelId, server.service.holder.current?.model.modelId);
  });

  test("model description", async () => {
    const { status, body } = await get(`${server.url}/v1/model`);
    assert.equal(status, 200);
    const model = server.service.holder.current!.model;
    assert.equal(body.modelId, model.modelId);
    assert.equal(body.version, 1);
    assert.deepEqual(body.features.map((f: { name: string }) => f.name), model.featureNames);
    assert.equal(body.parameters.eps, model.eps);
    assert.equal(body.parameters.minSamples, model.minSamples);
    assert.equal(body.threshold, model.threshold);
    assert.deepEqual(body.actionThresholds, { review: model.threshold, throttle: 2 * model.threshold });
    assert.equal(body.summary.rows, model.summary.rows);
    assert.deepEqual(body.request.schema.required, model.featureNames);
  });

  test("score one normal event", async () => {
    const { status, body, contentType } = await post(`${server.url}/v1/score`, normalOrder("n-1"));
    assert.equal(status, 200);
    assert.match(contentType ?? "", /^application\/json/);
    assert.equal(body.eventId, "n-1");
    assert.equal(body.action, "allow");
    assert.equal(body.isAnomaly, false);
    assert.equal(typeof body.score, "number");
    assert.equal(body.deviations.length, 6);
    assert.equal(body.modelId, server.service.holder.current?.model.modelId);
  });

  test("score matches the library", async () => {
    const event = anomalousOrder("a-lib");
    const { body } = await post(`${server.url}/v1/score`, event);
    const expected = server.service.holder.current!.model.score(event);
    const { modelId, modelVersion, eventId, action, ...result } = body;
    assert.deepEqual(result, JSON.parse(JSON.stringify(expected)));
    assert.equal(modelId, server.service.holder.current!.model.modelId);
    assert.equal(modelVersion, 1);
    assert.equal(eventId, "a-lib");
    assert.notEqual(action, "allow");
  });

  test("anomaly gets review or throttle", async () => {
    const { body } = await post(`${server.url}/v1/score`, anomalousOrder("a-1"));
    const { review, throttle } = server.service.holder.current!.extra.thresholds;
    assert.equal(body.isAnomaly, true);
    assert.equal(body.action, body.score > throttle ? "throttle" : "review");
    assert.ok(body.score > review);
  });

  test("batch keeps order and ids", async () => {
    const batch = [normalOrder("b-1"), anomalousOrder("b-2"), { ...normalOrder(), id: 77 }];
    const { status, body } = await post(`${server.url}/v1/score`, batch);
    assert.equal(status, 200);
    assert.equal(body.count, 3);
    assert.deepEqual(body.results.map((r: { eventId: string }) => r.eventId), ["b-1", "b-2", "77"]);
    assert.equal(body.results[0].action, "allow");
    assert.notEqual(body.results[1].action, "allow");
    const expected = server.service.holder.current!.model.score(batch[1]);
    assert.deepEqual(body.results[1].deviations, JSON.parse(JSON.stringify(expected.deviations)));
    assert.equal(body.results[1].score, expected.score);
  });

  test("flagged event without id gets one", async () => {
    const { body } = await post(`${server.url}/v1/score`, anomalousOrder());
    assert.match(body.eventId, /^[0-9a-f-]{36}$/);
    const unflagged = await post(`${server.url}/v1/score`, normalOrder());
    assert.equal(unflagged.body.eventId, null);
  });

  test("unknown field allowed when not strict", async () => {
    const { status } = await post(`${server.url}/v1/score`, { ...normalOrder(), extra: "x" });
    assert.equal(status, 200);
  });

  test("metrics count requests and anomalies", async () => {
    await post(`${server.url}/v1/score`, anomalousOrder("m-1"));
    const { status, body, contentType } = await get(`${server.url}/metrics`);
    assert.equal(status, 200);
    assert.match(contentType ?? "", /text\/plain/);
    const scored = metricValue(body, "sigh_http_requests_total",
      'route="/v1/score",method="POST",status_code="200"');
    assert.notEqual(scored, undefined, "score requests are counted");
    assert.ok(scored! >= 1, `score requests counted: ${scored}`);
    assert.match(body, /sigh_http_request_duration_seconds_bucket\{le="0.005",route="\/v1\/score"\}/);
    assert.match(body, /sigh_anomalies_total\{nearest_cluster="\d+",action="(review|throttle)"\} \d+/);
    assert.ok((metricValue(body, "sigh_events_scored_total") ?? 0) >= 1);
    assert.equal(metricValue(body, "sigh_model_reloads_total", 'outcome="swapped"'), 1);
  });

  test("unknown route is a JSON 404", async () => {
    const { status, body } = await get(`${server.url}/v1/nothing`);
    assert.equal(status, 404);
    assert.equal(body.error.code, "NOT_FOUND");
  });
});

describe("serve rejects bad input", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ settings: { bodyLimit: 4096, maxBatch: 5, strict: true } });
  });
  after(async () => server.stop());

  const cases: { name: string; body: unknown; status: number; code: string; field?: string }[] = [
    { name: "missing feature", body: omit(normalOrder(), "total_cost"), status: 400,
      code: "MISSING_FIELD", field: "total_cost" },
    { name: "numeric string", body: { ...normalOrder(), total_cost: "35" }, status: 400,
      code: "INVALID_TYPE", field: "total_cost" },
    { name: "null feature", body: { ...normalOrder(), order_time: null }, status: 400,
      code: "INVALID_TYPE", field: "order_time" },
    { name: "boolean feature", body: { ...normalOrder(), items_per_order: true }, status: 400,
      code: "INVALID_TYPE", field: "items_per_order" },
    { name: "overflowing number", body: '{"items_per_order":1e400,"time_since_last_order":1,' +
      '"order_time":1,"customer_frequency":1,"total_cost":1,"prep_time_estimate":1}',
      status: 400, code: "INVALID_TYPE", field: "items_per_order" },
    { name: "huge finite number", body: { ...normalOrder(), items_per_order: 1e300 }, status: 400,
      code: "INVALID_VALUE", field: "items_per_order" },
    { name: "hour outside the day", body: { ...normalOrder(), order_time: 99 }, status: 400,
      code: "INVALID_VALUE", field: "order_time" },
    { name: "huge number in batch", body: [normalOrder(), { ...normalOrder(), total_cost: -1e200 }],
      status: 400, code: "INVALID_VALUE", field: "[1].total_cost" },
    { name: "unknown field in strict", body: { ...normalOrder(), coupon: "X" }, status: 400,
      code: "UNKNOWN_FIELD", field: "coupon" },
    { name: "id of wrong type", body: { ...normalOrder(), order_id: { a: 1 } }, status: 400,
      code: "INVALID_TYPE", field: "order_id" },
    { name: "empty id", body: { ...normalOrder(), order_id: "" }, status: 400,
      code: "INVALID_VALUE", field: "order_id" },
    { name: "scalar body", body: "42", status: 400, code: "INVALID_BODY" },
    { name: "null body", body: "null", status: 400, code: "INVALID_BODY" },
    { name: "bad JSON", body: '{"items_per_order": 3,', status: 400, code: "INVALID_JSON" },
    { name: "empty body", body: "", status: 400, code: "INVALID_JSON" },
    { name: "prototype pollution", body: '{"__proto__": {"x": 1}}', status: 400,
      code: "INVALID_JSON" },
    { name: "empty batch", body: [], status: 400, code: "EMPTY_BATCH" },
    { name: "batch over limit", body: Array.from({ length: 6 }, () => normalOrder()),
      status: 400, code: "BATCH_TOO_LARGE" },
    { name: "bad event in batch", body: [normalOrder(), normalOrder(),
      { ...normalOrder(), total_cost: "35" }], status: 400, code: "INVALID_TYPE",
      field: "[2].total_cost" },
    { name: "non-object in batch", body: [normalOrder(), 5], status: 400,
      code: "INVALID_BODY", field: "[1]" },
    { name: "body over limit", body: { ...normalOrder(), pad: "x".repeat(5000) }, status: 413,
      code: "BODY_TOO_LARGE" },
  ];

  for (const c of cases) {
    test(`rejects ${c.name}`, async () => {
      const { status, body } = await post(`${server.url}/v1/score`, c.body);
      assert.equal(status, c.status, JSON.stringify(body));
      assert.equal(body.error.code, c.code, body.error.message);
      assert.equal(typeof body.error.message, "string");
      if (c.field !== undefined) {
        assert.equal(body.error.field, c.field);
        const name = c.field.replace(/^\[\d+\]\.?/, "");
        if (name !== "") assert.ok(body.error.message.includes(name), body.error.message);
      }
    });
  }

  test("rejected numeric string names the value", async () => {
    const { body } = await post(`${server.url}/v1/score`, { ...normalOrder(), total_cost: "35" });
    assert.ok(body.error.message.includes('"35"'), body.error.message);
  });

  test("rejects non-JSON content type", async () => {
    const { status, body } = await post(`${server.url}/v1/score`, "a=1",
      { "content-type": "application/x-www-form-urlencoded" });
    assert.equal(status, 415);
    assert.equal(body.error.code, "UNSUPPORTED_MEDIA_TYPE");
  });

  test("bad batch stores nothing", async () => {
    const before = server.service.store.counts().open;
    const { status } = await post(`${server.url}/v1/score`,
      [anomalousOrder("x-1"), { ...normalOrder(), total_cost: "1" }]);
    assert.equal(status, 400);
    assert.equal(server.service.store.counts().open, before);
  });

  test("rejections are counted and logged", async () => {
    await post(`${server.url}/v1/score`, omit(normalOrder(), "total_cost"));
    const { body } = await get(`${server.url}/metrics`);
    assert.ok((metricValue(body, "sigh_rejected_requests_total", 'code="MISSING_FIELD"') ?? 0) >= 1);
    const logged = server.logs.withMessage("request rejected");
    assert.ok(logged.some((l) => l.code === "MISSING_FIELD" && l.field === "total_cost"));
    const errors = await get(`${server.url}/metrics`);
    assert.equal(metricValue(errors.body, "sigh_http_requests_total",
      'route="/v1/score",method="POST",status_code="500"'), undefined);
  });
});

describe("serve readiness before a model", () => {
  test("readyz and score wait for the model", async () => {
    const server = await startTestServer({ skipLoad: true });
    try {
      const ready = await get(`${server.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(ready.body.error.code, "MODEL_NOT_LOADED");
      const scored = await post(`${server.url}/v1/score`, normalOrder());
      assert.equal(scored.status, 503);
      await server.service.loadModel();
      assert.equal((await get(`${server.url}/readyz`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});

function omit(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
