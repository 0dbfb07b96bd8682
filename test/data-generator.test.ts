import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ParameterError } from "../src/engine/errors.js";
import {
  ORDER_CSV_COLUMNS,
  generateOrders,
  ordersToCsv,
  writeOrdersCsv,
  type Order,
} from "../src/data/generator.js";
import { CsvDataSource } from "../src/data/csv.js";
import { PROFILES, isBusyHour } from "../src/data/profiles.js";
import { Random } from "../src/data/random.js";

const dir = mkdtempSync(join(tmpdir(), "sigh-data-gen-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const orders = generateOrders({ rows: 3000, seed: 42 });

function seconds(order: Order): number {
  return Date.parse(order.timestamp) / 1000;
}

function byCustomer(list: readonly Order[]): Map<string, Order[]> {
  const groups = new Map<string, Order[]>();
  for (const o of list) {
    const group = groups.get(o.customer) ?? [];
    group.push(o);
    groups.set(o.customer, group);
  }
  return groups;
}

test("Random repeats a seeded sequence", () => {
  const a = new Random(7);
  const b = new Random(7);
  const c = new Random(8);
  const seqA = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.next()));
  assert.ok(seqA.every((x) => x >= 0 && x < 1));
});

test("same seed gives byte-identical CSV", () => {
  const again = generateOrders({ rows: 3000, seed: 42 });
  assert.equal(ordersToCsv(again), ordersToCsv(orders));
  const other = generateOrders({ rows: 3000, seed: 43 });
  assert.notEqual(ordersToCsv(other), ordersToCsv(orders));
});

test("exact row counts", () => {
  for (const rows of [1, 2, 7, 100, 1001]) {
    assert.equal(generateOrders({ rows, seed: 1 }).length, rows, `rows=${rows}`);
  }
});

test("bad options raise ParameterError", () => {
  assert.throws(() => generateOrders({ rows: 0, seed: 1 }), ParameterError);
  assert.throws(() => generateOrders({ rows: 1.5, seed: 1 }), ParameterError);
  assert.throws(() => generateOrders({ rows: 10, seed: NaN }), ParameterError);
  assert.throws(
    () => generateOrders({ rows: 10, seed: 1, anomalyRate: 0.9 }),
    /anomalyRate must be between 0 and 0.5, received 0.9/,
  );
});

test("CSV header and columns", () => {
  const csv = ordersToCsv(orders.slice(0, 2));
  const lines = csv.split("\n");
  assert.equal(lines[0], ORDER_CSV_COLUMNS.join(","));
  assert.equal(lines.length, 4); // header, two rows, empty string after the last LF
  assert.equal(lines[1].split(",").length, ORDER_CSV_COLUMNS.length);
});

test("orders are sorted by time with sequential ids", () => {
  for (let i = 1; i < orders.length; i++) {
    assert.ok(seconds(orders[i]) >= seconds(orders[i - 1]), `order ${i} out of time order`);
  }
  assert.equal(orders[0].order_id, "ORD_00000");
  assert.equal(orders[2999].order_id, "ORD_02999");
  assert.ok(orders[0].timestamp >= "2024-01-01T00:00:00Z");
  assert.match(orders[0].timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test("about 5% anomalies of every kind", () => {
  const anomalies = orders.filter((o) => o.injected_anomaly === 1);
  assert.equal(anomalies.length, 150);
  const kinds = new Map<string, number>();
  for (const o of anomalies) kinds.set(o.anomaly_kind, (kinds.get(o.anomaly_kind) ?? 0) + 1);
  for (const kind of ["massive_order", "rapid_repeat", "cost_spike", "odd_hour"]) {
    assert.ok((kinds.get(kind) ?? 0) >= 37, `${kind}: ${kinds.get(kind)}`);
  }
  for (const o of orders) assert.equal(o.anomaly_kind === "", o.injected_anomaly === 0);
  const none = generateOrders({ rows: 500, seed: 1, anomalyRate: 0 });
  assert.equal(none.filter((o) => o.injected_anomaly === 1).length, 0);
});

test("interval is measured from the customer's previous order", () => {
  for (const [customer, list] of byCustomer(orders)) {
    for (let i = 0; i < list.length; i++) {
      const o = list[i];
      assert.ok(o.time_since_last_order > 0, `${o.order_id} of ${customer} has interval 0`);
      if (i === 0) continue;
      const expected = (seconds(o) - seconds(list[i - 1])) / 60;
      assert.ok(
        Math.abs(o.time_since_last_order - expected) < 1e-9,
        `${o.order_id}: ${o.time_since_last_order} != ${expected}`,
      );
    }
  }
});

test("frequency is orders per day over the customer's span", () => {
  for (const [customer, list] of byCustomer(orders)) {
    const spanDays = (seconds(list[list.length - 1]) - seconds(list[0])) / 86400;
    const expected = list.length / Math.max(spanDays, 1);
    for (const o of list) {
      assert.ok(Math.abs(o.customer_frequency - expected) < 1e-9, `${customer}: ${expected}`);
    }
  }
});

test("order_time is the UTC hour of the timestamp", () => {
  for (const o of orders) {
    const date = new Date(o.timestamp);
    const hour = date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600;
    assert.ok(Math.abs(o.order_time - hour) < 1e-9, `${o.order_id}: ${o.order_time} vs ${hour}`);
  }
});

test("normal orders: cost and prep follow items", () => {
  for (const o of orders.filter((x) => x.injected_anomaly === 0)) {
    const perItem = o.total_cost / o.items_per_order;
    assert.ok(perItem >= 5.99, `${o.order_id}: $${perItem} per item`);
    assert.ok(perItem <= 12.01, `${o.order_id}: $${perItem} per item`);
    const base = 3 + 4 * o.items_per_order;
    assert.ok(o.prep_time_estimate >= base * 0.85 - 0.05, `${o.order_id}: prep`);
    assert.ok(o.prep_time_estimate <= base * 1.15 + 0.05, `${o.order_id}: prep`);
    assert.ok(o.items_per_order >= 1, `${o.order_id}: items`);
    assert.ok(o.items_per_order <= 10, `${o.order_id}: items`);
  }
});

test("anomalies have the properties of their kind", () => {
  const profileOf = (customer: string) =>
    PROFILES.find((p) => customer.startsWith(`${p.kind}_`));
  for (const o of orders.filter((x) => x.injected_anomaly === 1)) {
    const profile = profileOf(o.customer);
    assert.ok(profile, `unknown profile of ${o.customer}`);
    switch (o.anomaly_kind) {
      case "massive_order":
        assert.ok(o.items_per_order >= 25, `${o.order_id}: items`);
        assert.ok(o.items_per_order <= 80, `${o.order_id}: items`);
        assert.ok(!isBusyHour(profile, o.order_time, 0.99), `${o.order_id}: hour ${o.order_time}`);
        break;
      case "rapid_repeat":
        assert.ok(o.time_since_last_order >= 0.5, `${o.order_id}: interval`);
        assert.ok(o.time_since_last_order <= 3, `${o.order_id}: interval`);
        assert.ok(o.items_per_order >= 12, `${o.order_id}: items`);
        break;
      case "cost_spike":
        assert.ok(o.total_cost >= 200, `${o.order_id}: cost ${o.total_cost}`);
        // At least 5 times the lowest normal price of $6 per item.
        assert.ok(o.total_cost / o.items_per_order >= 29.99, `${o.order_id}: cost per item`);
        break;
      case "odd_hour":
        assert.ok(o.order_time >= 2, `${o.order_id}: ${o.order_time}`);
        assert.ok(o.order_time < 7.001, `${o.order_id}: ${o.order_time}`);
        assert.notEqual(profile.kind, "late_night");
        assert.ok(o.items_per_order >= 10, `${o.order_id}: items`);
        break;
      default:
        assert.fail(`unexpected kind ${o.anomaly_kind}`);
    }
  }
});

test("every profile appears", () => {
  const small = generateOrders({ rows: 1000, seed: 5 });
  for (const profile of PROFILES) {
    const count = small.filter((o) => o.customer.startsWith(`${profile.kind}_`)).length;
    assert.ok(count >= 0.5 * profile.share * 1000, `${profile.kind}: ${count} orders`);
  }
});

test("CSV round trip through loadOrders", async () => {
  const path = join(dir, "orders.csv");
  writeFileSync(path, ordersToCsv(orders));
  const loaded = await new CsvDataSource(path).loadOrders();
  assert.deepEqual(loaded, orders);
});

test("writeOrdersCsv writes the same bytes as ordersToCsv", async () => {
  const many = generateOrders({ rows: 20_000, seed: 3 });
  const path = join(dir, "many.csv");
  await writeOrdersCsv(path, many);
  assert.equal(readFileSync(path, "utf8"), ordersToCsv(many));
});

test("writeOrdersCsv reports a bad path", async () => {
  await assert.rejects(writeOrdersCsv(join(dir, "missing-dir", "x.csv"), orders), /ENOENT/);
});
