import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AnomalyModel,
  ModelFileError,
  OrderAnomalyModel,
  ORDER_FEATURE_NAMES,
  InputError,
  ParameterError,
} from "../src/engine/index.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "./helpers/fixtures.js";
import { seededRandom } from "./helpers/random.js";

function originalOrders(): Record<string, number>[] {
  const lines = readFileSync(join(FIXTURES, "original-orders", "bobs_burgers_orders.csv"), "utf8")
    .trim()
    .split(/\r?\n/);
  const header = lines[0].split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    const row: Record<string, number> = {};
    for (const name of [...ORDER_FEATURE_NAMES, "cluster"]) row[name] = Number(cells[header.indexOf(name)]);
    return row;
  });
}

const PRODUCTION_EXAMPLE = {
  items_per_order: 35,
  total_cost: 380,
  order_time: 22.5,
  time_since_last_order: 15,
  customer_frequency: 0.05,
  prep_time_estimate: 175,
};

const rows = originalOrders();
const model = new OrderAnomalyModel({ eps: 0.8, minSamples: 10, features: ORDER_FEATURE_NAMES }).fit(rows);

test("model labels the original orders like scikit-learn", () => {
  assert.deepEqual(Array.from(model.labels), rows.map((r) => r.cluster));
  assert.equal(model.summary.noise, 54);
  assert.deepEqual(model.clusters.map((c) => c.size), [506, 136, 304]);
});

test("model flags the production example", () => {
  const result = model.score(PRODUCTION_EXAMPLE);
  assert.equal(result.isAnomaly, true);
  assert.equal(result.cluster, -1);
  assert.equal(result.clusterName, "Absolutely Not 🚨");
  assert.ok(result.score > model.threshold);
  const level = (name: string) => result.deviations.find((d) => d.feature === name)?.level;
  assert.equal(level("items_per_order"), "EXTREME");
  assert.equal(level("total_cost"), "EXTREME");
  assert.equal(level("prep_time_estimate"), "EXTREME");
  const shares = result.deviations.reduce((s, d) => s + d.share, 0);
  assert.ok(Math.abs(shares - 1) < 1e-9, `shares add up to ${shares}`);
});

test("loaded model scores exactly like the saved one", () => {
  const loaded = AnomalyModel.fromBytes(model.toBytes());
  assert.equal(loaded.modelId, model.modelId);
  assert.deepEqual(loaded.score(PRODUCTION_EXAMPLE), model.score(PRODUCTION_EXAMPLE));
  const random = seededRandom(1);
  for (let i = 0; i < 200; i++) {
    const event = Object.fromEntries(ORDER_FEATURE_NAMES.map((n, k) => [n, rows[i][n] * (0.5 + random()) + k]));
    assert.deepEqual(loaded.score(event), model.score(event), `event ${i}`);
  }
});

test("scoring training rows flags exactly the noise", () => {
  const loaded = AnomalyModel.fromBytes(model.toBytes());
  const batch = loaded.scoreBatch(rows);
  for (let i = 0; i < rows.length; i++) {
    assert.equal(batch.isAnomaly[i] === 1, model.labels[i] === -1, `row ${i + 1}`);
    assert.equal(batch.score[i] > loaded.threshold, batch.isAnomaly[i] === 1, `score of row ${i + 1}`);
  }
});

test("batch scores equal single scores", () => {
  const batch = model.scoreBatch(rows.slice(0, 300));
  for (let i = 0; i < 300; i++) {
    const one = model.score(rows[i]);
    assert.equal(batch.score[i], one.score);
    assert.equal(batch.distance[i], one.distance);
    assert.equal(batch.cluster[i], one.cluster);
  }
});

test("cluster names are unique and not numbers", () => {
  const names = model.clusters.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of names) assert.doesNotMatch(name, /^\d+$/);
  const again = new OrderAnomalyModel({ eps: 0.8, minSamples: 10, features: ORDER_FEATURE_NAMES }).fit(rows);
  assert.deepEqual(again.clusters.map((c) => c.name), names);
});

test("deviation percentages stay finite", () => {
  const small = new AnomalyModel({ features: ["a", "b", "c"], eps: 3, minSamples: 3 });
  // a is centred on 120, b on 0, c on -50, with a little spread in each.
  const data = [];
  for (let i = 0; i < 30; i++) data.push({ a: 120 + (i % 3) - 1, b: (i % 3) - 1, c: -50 + (i % 3) - 1 });
  small.fit(data);
  const [a, b, c] = small.explain([0, 0.4, -25]);
  assert.equal(a.normal, 120);
  assert.equal(a.diffPct, -100);
  assert.equal(b.normal, 0);
  assert.equal(b.diffPct, null);
  assert.equal(b.diffPctReason, "the normal value is 0, so a percentage is undefined");
  assert.ok(Number.isFinite(b.z), `z ${b.z}`);
  assert.ok(b.z > 0, `z ${b.z}`);
  assert.equal(c.normal, -50);
  assert.equal(c.diffPct, 50);
});

test("zero-variance feature gets a finite capped z", () => {
  const flat = new AnomalyModel({ features: ["x", "constant"], eps: 1, minSamples: 2 });
  flat.fit(Array.from({ length: 20 }, (_, i) => ({ x: i % 4, constant: 5 })));
  const [, constant] = flat.explain([1, 9]);
  assert.equal(constant.normal, 5);
  assert.equal(constant.z, 1000);
  assert.equal(constant.level, "EXTREME");
  const [, same] = flat.explain([1, 5]);
  assert.equal(same.z, 0);
  assert.equal(same.level, "NORMAL");
});

test("score rejects a missing or non-numeric feature", () => {
  const event = { ...PRODUCTION_EXAMPLE } as Record<string, unknown>;
  delete event.total_cost;
  assert.throws(() => model.score(event), { name: "InputError", message: 'feature "total_cost" is missing' });
  assert.throws(() => model.score({ ...PRODUCTION_EXAMPLE, items_per_order: "35" }), {
    message: 'feature "items_per_order": expected a finite number, received "35"',
  });
  assert.throws(() => model.score({ ...PRODUCTION_EXAMPLE, items_per_order: NaN }), InputError);
  assert.throws(() => model.fit([{ ...PRODUCTION_EXAMPLE, order_time: Infinity }]), {
    message: 'row 1: feature "order_time": expected a finite number, received Infinity',
  });
});

test("model options are checked", () => {
  assert.throws(() => new AnomalyModel({ eps: -1 }), ParameterError);
  assert.throws(() => new AnomalyModel({ minSamples: 0 }), { message: "minSamples must be an integer of at least 1, received 0" });
  assert.throws(() => new AnomalyModel({ features: ["a", "a"] }), { message: 'feature "a" is listed twice' });
});

test("model file errors are clear", () => {
  const bytes = model.toBytes();
  assert.throws(() => AnomalyModel.fromBytes(bytes.subarray(0, 10)), {
    message: "model file is truncated: 10 bytes, less than the 20-byte minimum",
  });
  assert.throws(() => AnomalyModel.fromBytes(bytes.subarray(0, bytes.length - 100)), (error: Error) => {
    assert.ok(error instanceof ModelFileError);
    assert.match(error.message, /^model file is truncated: \d+ bytes, expected \d+$/);
    return true;
  });
  const corrupt = bytes.slice();
  corrupt[corrupt.length - 50] ^= 0xff;
  assert.throws(() => AnomalyModel.fromBytes(corrupt), {
    message: "model file is corrupt: its checksum does not match its contents",
  });
  const version = bytes.slice();
  version[8] = 9;
  assert.throws(() => AnomalyModel.fromBytes(version), {
    message: "model file format version 9 is not supported; this sigh reads version 1",
  });
  assert.throws(() => AnomalyModel.fromBytes(new TextEncoder().encode("order_id,customer\n1,2\n")), {
    message: "not a sigh model file: the first bytes are not SIGHMDL",
  });
});

test("cyclic hour of day: 23:45 and 00:15 are neighbours", () => {
  const features = [{ name: "hour", period: 24 }, { name: "items" }];
  const data = [];
  for (let i = 0; i < 40; i++) data.push({ hour: 23.5 + (i % 10) * 0.1, items: 3 + (i % 3) });
  const cyclic = new AnomalyModel({ features, eps: 1.5, minSamples: 5 }).fit(data.map((d) => ({ ...d, hour: d.hour % 24 })));
  assert.equal(cyclic.summary.clusters, 1, "late-night and early-morning rows form one cluster");
  const late = cyclic.score({ hour: 23.75, items: 4 });
  const early = cyclic.score({ hour: 0.25, items: 4 });
  assert.equal(late.isAnomaly, false);
  assert.equal(early.isAnomaly, false);
  const noon = cyclic.score({ hour: 12, items: 4 });
  assert.equal(noon.isAnomaly, true);
  const hour = noon.deviations[0];
  assert.equal(hour.diffPct, null);
  assert.ok(Math.abs(Math.abs(hour.value - hour.normal) - 12) < 0.5);
});

test("huge values are rejected, not overflowed", () => {
  assert.throws(() => model.score({ ...PRODUCTION_EXAMPLE, items_per_order: 1e300 }), {
    name: "InputError",
    message: 'feature "items_per_order": expected a magnitude of at most 1e+150, received 1e+300',
  });
  assert.throws(() => model.fit([{ ...PRODUCTION_EXAMPLE, total_cost: -1e200 }]), {
    message: 'row 1: feature "total_cost": expected a magnitude of at most 1e+150, received -1e+200',
  });
  // Within the bound but far beyond the data: still a clean input error, never a crash.
  const tight = new AnomalyModel({ features: ["x"], eps: 1e-140, minSamples: 2 });
  tight.fit([{ x: 0 }, { x: 1e-150 }, { x: 0 }]);
  assert.throws(() => tight.score({ x: 1e150 }), { name: "InputError" });
});

test("cyclic values outside the period are rejected", () => {
  const cyclic = new OrderAnomalyModel().fit(rows);
  assert.throws(() => cyclic.score({ ...PRODUCTION_EXAMPLE, order_time: 99 }), {
    message: 'feature "order_time": expected a value from 0 to 24, because the feature is cyclic, received 99',
  });
  assert.throws(() => cyclic.score({ ...PRODUCTION_EXAMPLE, order_time: -3 }), { name: "InputError" });
  assert.equal(cyclic.score({ ...PRODUCTION_EXAMPLE, order_time: 24 }).isAnomaly, true);
});

test("fit without any core sample fails loudly", () => {
  const sparse = new AnomalyModel({ features: ["x"], eps: 0.1, minSamples: 5 });
  assert.throws(() => sparse.fit([{ x: 0 }, { x: 10 }, { x: 20 }]), {
    name: "SighError",
    message:
      "no cluster found: all 3 training rows are noise at eps 0.1 and minSamples 5, so there is " +
      "no normal behaviour to score against; raise eps or lower minSamples",
  });
  assert.equal(sparse.isFitted, false);
});

test("model id depends on content, not on time", () => {
  const again = new OrderAnomalyModel({ eps: 0.8, minSamples: 10, features: ORDER_FEATURE_NAMES }).fit(rows);
  assert.equal(again.modelId, model.modelId);
  const loaded = AnomalyModel.fromBytes(again.toBytes());
  assert.equal(loaded.modelId, model.modelId);
  const other = new OrderAnomalyModel({ eps: 0.7, minSamples: 10, features: ORDER_FEATURE_NAMES }).fit(rows);
  assert.notEqual(other.modelId, model.modelId);
});
