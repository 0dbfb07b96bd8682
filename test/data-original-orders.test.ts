import { test } from "node:test";
import assert from "node:assert/strict";
import { ORDER_FEATURE_NAMES } from "../src/engine/features.js";
import { CsvDataSource } from "../src/data/csv.js";
import { loadOriginalOrders } from "../src/data/original-orders.js";

const PATH = "../shared/fixtures/original-orders/bobs_burgers_orders.csv";

test("published orders load through loadMatrix", async () => {
  const m = await new CsvDataSource(PATH).loadMatrix(ORDER_FEATURE_NAMES, { idField: "order_id" });
  assert.equal(m.rows, 1000);
  assert.equal(m.skipped, 0);
  assert.equal(m.ids?.[0], "ORD_00000");
  // First data row: tina,1,2449.227500681923,8.383333333333333,0.7,8.733739159464655,5.0
  assert.deepEqual([...m.values.subarray(0, 6)], [1, 2449.227500681923, 8.383333333333333, 0.7,
    8.733739159464655, 5]);
});

test("loadOriginalOrders returns the published clusters", async () => {
  const original = await loadOriginalOrders(PATH);
  assert.equal(original.rows, 1000);
  assert.equal(original.values.length, 6000);
  assert.deepEqual(original.features, ORDER_FEATURE_NAMES);
  const sizes = new Map<number, number>();
  for (const label of original.clusters) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  // The fixture's README: 54 noise rows and clusters of 506, 136 and 304 rows.
  assert.equal(sizes.get(-1), 54);
  assert.equal(sizes.get(0), 506);
  assert.equal(sizes.get(1), 136);
  assert.equal(sizes.get(2), 304);
  assert.equal(original.values[6 * 999 + 2], 2.216666666666667);
});

test("published orders load as typed orders", async () => {
  const orders = await new CsvDataSource(PATH).loadOrders();
  assert.equal(orders.length, 1000);
  assert.equal(orders[1].customer, "teddy");
  assert.equal(orders[1].timestamp, "2024-01-01 08:49:00");
  assert.equal(orders[1].injected_anomaly, 0);
  assert.equal(orders[1].anomaly_kind, "");
});
