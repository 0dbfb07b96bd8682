/**
 * Model updates through the key-value bucket: upload in pieces, hot swap in a running
 * scoring loop, and rejection of a bad model while the old one keeps scoring.
 */

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ScoreResult } from "../src/engine/types.js";
import { connectFleet, type FleetConnection } from "../src/fleet/connect.js";
import { Scorer, type ModelHolder } from "../src/fleet/consumer.js";
import type { ResultMessage, ScoringModel } from "../src/fleet/events.js";
import { openModelBucket, publishModel, readManifest } from "../src/fleet/model-store.js";
import { watchModels } from "../src/fleet/model-watch.js";
import { startNatsServer, type NatsServerHandle } from "../src/fleet/nats-server.js";
import { readStreamJson } from "../src/fleet/stream-reader.js";
import { DEFAULT_DUPLICATE_WINDOW_MS, ensureTopology } from "../src/fleet/streams.js";
import { captureLogger, waitFor } from "./fleet-support.js";

const PREFIX = "STUBMODEL ";

/** Builds a stub model file: the prefix, the id, a newline, then padding. */
function stubFile(modelId: string, padding = 0): Uint8Array {
  const text = `${PREFIX}${modelId}\n` + "x".repeat(padding);
  return new TextEncoder().encode(text);
}

function decodeStub(bytes: Uint8Array): ScoringModel {
  const text = new TextDecoder().decode(bytes);
  if (!text.startsWith(PREFIX)) throw new Error("not a stub model file");
  const modelId = text.slice(PREFIX.length, text.indexOf("\n"));
  return {
    featureNames: ["a"],
    modelId,
    score: (): ScoreResult => ({
      isAnomaly: false, cluster: 0, clusterName: "c0", nearestCluster: 0,
      nearestClusterName: "c0", distance: 0, score: 0, deviations: [],
    }),
  };
}


describe("fleet model updates", { timeout: 30_000 }, () => {
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

  test("large model round-trips in pieces", async () => {
    const bytes = stubFile("big", 700_000);
    const manifest = await publishModel(fleet, bytes, decodeStub, { bucket: "models-big" });
    assert.equal(manifest.modelId, "big");
    assert.equal(manifest.size, bytes.length);
    assert.ok(manifest.chunks >= 3, `expected at least 3 pieces, got ${manifest.chunks}`);

    const { logger } = captureLogger();
    const seen: string[] = [];
    const watch = await watchModels(fleet, {
      bucket: "models-big", key: "current", decode: decodeStub, logger,
      onModel: (model) => seen.push(model.modelId),
    });
    const first = await watch.first;
    watch.stop();
    assert.equal(first.modelId, "big");
    assert.deepEqual(seen, ["big"]);
  });

  test("publishModel rejects a bad file", async () => {
    const bad = new TextEncoder().encode("garbage");
    await assert.rejects(
      publishModel(fleet, bad, decodeStub, { bucket: "models-bad" }),
      /not a stub model file/,
    );
    const kv = await openModelBucket(fleet, "models-bad");
    assert.equal(await readManifest(kv, "current"), null);
  });

  test("running scorer switches models and rejects a bad one", async () => {
    await ensureTopology(fleet.jsm, {
      eventStream: "EVENTS", eventSubjects: ["events.>"], consumer: "scorers",
      resultsStream: "SIGH_RESULTS", deadLetterStream: "SIGH_DEAD", ackWaitSeconds: 2,
      maxDeliver: 3, maxAckPending: 100, duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS,
    });
    await publishModel(fleet, stubFile("v1"), decodeStub);

    const { lines, logger } = captureLogger();
    const holder: Partial<ModelHolder> = {};
    const watch = await watchModels(fleet, {
      bucket: "sigh-models", key: "current", decode: decodeStub, logger,
      onModel: (model) => (holder.current = model),
    });
    await watch.first;
    const scorer = new Scorer({
      fleet, eventStream: "EVENTS", consumer: "scorers", resultsStream: "SIGH_RESULTS",
      deadLetterStream: "SIGH_DEAD", idField: "id", models: holder as ModelHolder,
      batch: 8, maxDeliver: 3, logger,
    });
    await scorer.start();

    await fleet.js.publish("events.x", JSON.stringify({ id: "m1", a: 1 }));
    await waitFor(() => scorer.stats.scored === 1, 5000, "the first result");

    await publishModel(fleet, stubFile("v2"), decodeStub);
    await waitFor(() => holder.current?.modelId === "v2", 5000, "model v2");
    await fleet.js.publish("events.x", JSON.stringify({ id: "m2", a: 1 }));
    await waitFor(() => scorer.stats.scored === 2, 5000, "the second result");

    // Two bad manifests: one without its piece, one whose piece fails the checksum.
    // Both are rejected and v2 keeps scoring.
    const kv = await openModelBucket(fleet, "sigh-models");
    const v2 = await readManifest(kv, "current");
    const withoutPieces = { ...v2, sha256: "1".repeat(64), modelId: "v3" };
    await kv.put("current", JSON.stringify(withoutPieces));
    await waitFor(() => watch.rejected === 1, 5000, "the first bad model to be rejected");
    await kv.put(`chunk.${"0".repeat(32)}.0`, stubFile("v2"));
    const corrupt = { ...v2, sha256: "0".repeat(64), modelId: "v4" };
    await kv.put("current", JSON.stringify(corrupt));
    await waitFor(() => watch.rejected === 2, 5000, "the corrupt model to be rejected");
    await fleet.js.publish("events.x", JSON.stringify({ id: "m3", a: 1 }));
    await waitFor(() => scorer.stats.scored === 3, 5000, "the third result");

    await scorer.stop();
    watch.stop();

    const results = await readStreamJson<ResultMessage>(
      fleet.js, "SIGH_RESULTS", "sigh.results.EVENTS",
    );
    const modelOf = Object.fromEntries(results.map((r) => [r.eventId, r.modelId]));
    assert.deepEqual(modelOf, { m1: "v1", m2: "v2", m3: "v2" });
    const rejected = lines.filter((l) => String(l.msg).startsWith("model rejected"));
    assert.equal(rejected.length, 2);
    assert.match(String(rejected[0].err), /model piece 1 of 1 is missing/);
    assert.match(String(rejected[1].err), /checksum mismatch/);
  });
});
