import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  AnomalyModel,
  CsvDataSource,
  OrderAnomalyModel,
  generateOrders,
  writeOrdersCsv,
} from "../src/index.js";

// The library example of the README, run for real on generated orders.
test("readme library example runs", async () => {
  const folder = mkdtempSync(join(tmpdir(), "sigh-readme-"));
  try {
    const path = join(folder, "bobs_burgers_orders.csv");
    await writeOrdersCsv(path, generateOrders({ rows: 1000, seed: 42 }));

    const orders = await new CsvDataSource(path).loadOrders();
    const model = new OrderAnomalyModel({ minSamples: 10 }).fit(orders);
    const result = model.score({
      items_per_order: 35,
      total_cost: 380,
      order_time: 22.5,
      time_since_last_order: 15,
      customer_frequency: 0.05,
      prep_time_estimate: 175,
    });
    assert.equal(result.isAnomaly, true);
    assert.ok(result.score > 1, `score ${result.score}`);
    assert.equal(result.deviations.length, 6);

    const values = new Float64Array([1, 10, 1.2, 11, 0.9, 10.5, 1.1, 9.8, 50, 400]);
    const api = new AnomalyModel({ features: ["payload_kb", "latency_ms"], eps: 0.5, minSamples: 2 });
    api.fitMatrix(values, 5);
    const same = AnomalyModel.fromBytes(api.toBytes());
    assert.deepEqual(same.score({ payload_kb: 1, latency_ms: 10 }), api.score({ payload_kb: 1, latency_ms: 10 }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
