import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "./cli-helpers.js";
import { MAMMOGRAPHY_CSV, MAMMOGRAPHY_FEATURES, ORDERS_CSV, tempDir } from "./report-helpers.js";

const OUTPUTS = ["anomaly_analysis.png", "anomaly_analysis.svg", "report.html"];

test("sigh report on the order data", { timeout: 120_000 }, async () => {
  const cwd = tempDir("cli-orders");
  const train = await runCli(["train", ORDERS_CSV, "--model", "orders.sigh"], { cwd });
  assert.equal(train.code, 0, train.stderr);

  const run = await runCli(["report", ORDERS_CSV, "--model", "orders.sigh", "--out", "out"], { cwd });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split("\n"), OUTPUTS.map((name) => join("out", name)));
  for (const name of OUTPUTS) assert.ok(existsSync(join(cwd, "out", name)), `${name} not written`);
  const html = readFileSync(join(cwd, "out", "report.html"), "utf8");
  assert.ok(html.includes("ORD_00"), "order ids from order_id are missing");

  // The same data, model file and seed give the same bytes.
  const again = await runCli(["report", ORDERS_CSV, "--model", "orders.sigh", "--out", "again"], { cwd });
  assert.equal(again.code, 0, again.stderr);
  for (const name of OUTPUTS) {
    const first = readFileSync(join(cwd, "out", name));
    const second = readFileSync(join(cwd, "again", name));
    assert.ok(first.equals(second), `${name} differs between two runs`);
  }
});

test("sigh report on mammography", { timeout: 120_000 }, async () => {
  const cwd = tempDir("cli-mammography");
  const features = MAMMOGRAPHY_FEATURES.join(",");
  const train = await runCli(
    ["train", MAMMOGRAPHY_CSV, "--model", "m.sigh", "--features", features],
    { cwd },
  );
  assert.equal(train.code, 0, train.stderr);

  const run = await runCli(
    ["report", MAMMOGRAPHY_CSV, "--model", "m.sigh", "--out", "out", "--features", features],
    { cwd },
  );
  assert.equal(run.code, 0, run.stderr);
  for (const name of OUTPUTS) assert.ok(existsSync(join(cwd, "out", name)), `${name} not written`);
  const svg = readFileSync(join(cwd, "out", "anomaly_analysis.svg"), "utf8");
  assert.ok(svg.includes("Separating pair 1"), "the feature-pair panels are missing");
});

test("sigh report usage errors", async () => {
  const cwd = tempDir("cli-errors");
  const train = await runCli(["train", ORDERS_CSV, "--model", "orders.sigh"], { cwd });
  assert.equal(train.code, 0, train.stderr);

  const noOut = await runCli(["report", ORDERS_CSV, "--model", "orders.sigh"], { cwd });
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /missing option --out DIR/);

  const noModel = await runCli(["report", ORDERS_CSV, "--out", "out"], { cwd });
  assert.equal(noModel.code, 2);
  assert.match(noModel.stderr, /missing option --model FILE/);

  const reordered = await runCli(
    ["report", ORDERS_CSV, "--model", "orders.sigh", "--out", "out", "--features",
      "total_cost,items_per_order,time_since_last_order,order_time,customer_frequency,prep_time_estimate"],
    { cwd },
  );
  assert.equal(reordered.code, 2);
  assert.match(reordered.stderr, /--features: the model was trained on items_per_order,/);

  const badPoints = await runCli(
    ["report", ORDERS_CSV, "--model", "orders.sigh", "--out", "out", "--max-points", "ten"],
    { cwd },
  );
  assert.equal(badPoints.code, 2);
  assert.match(badPoints.stderr, /invalid value "ten" for --max-points/);

  const missingModel = await runCli(["report", ORDERS_CSV, "--model", "nope.sigh", "--out", "out"], { cwd });
  assert.equal(missingModel.code, 1);
  assert.match(missingModel.stderr, /nope\.sigh: file not found/);
  assert.equal(existsSync(join(cwd, "out")), false, "files were written after an error");
});
