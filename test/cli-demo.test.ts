/** `sigh demo` and `sigh test-orders` end to end on small generated data. */

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseCsv, runCli, tempDir, type CliRun } from "./cli-helpers.js";

describe("demo --rows 300", () => {
  const tmp = tempDir();
  let run: CliRun;
  before(async () => {
    run = await runCli(["demo", "--rows", "300", "--out-dir", tmp.dir]);
  });
  after(tmp.remove);

  test("exits 0", () => {
    assert.equal(run.code, 0, run.stderr);
  });

  test("writes 300 orders", () => {
    const csv = readFileSync(join(tmp.dir, "data", "bobs_burgers_orders.csv"), "utf8");
    const [header, ...rows] = parseCsv(csv);
    assert.equal(rows.length, 300);
    assert.ok(header.includes("injected_anomaly"), `header: ${header.join(",")}`);
  });

  test("writes the model", () => {
    assert.ok(existsSync(join(tmp.dir, "models", "order_model.sigh")));
  });

  test("prints precision, recall and F1", () => {
    assert.match(run.stdout, /Precision {2}(\d\.\d{3}|n\/a) /);
    assert.match(run.stdout, /Recall {5}(\d\.\d{3}|n\/a) /);
    assert.match(run.stdout, /F1 {9}(\d\.\d{3}|n\/a)\n/);
  });

  test("explains the production example", () => {
    const section = run.stdout.split("The production example\n")[1] ?? "";
    assert.match(section, /Items per order/);
    assert.match(section, /Total cost +\$380\.00/);
    assert.match(section, /🔴 EXTREME|🟡 HIGH|🟢 NORMAL/);
  });

  test("lists the files written", () => {
    const files = run.stdout.split("Files written")[1] ?? "";
    assert.match(files, /bobs_burgers_orders\.csv/);
    assert.match(files, /order_model\.sigh/);
  });

  test("generate with the same seed gives the same data", async () => {
    const generated = await runCli(["generate", "--rows", "300", "--seed", "42"]);
    assert.equal(generated.code, 0, generated.stderr);
    const demoData = readFileSync(join(tmp.dir, "data", "bobs_burgers_orders.csv"), "utf8");
    assert.equal(generated.stdout, demoData);
  });
});

describe("test-orders", () => {
  test("scores every example with a saved model", async () => {
    const tmp = tempDir();
    try {
      const demo = await runCli(["demo", "--rows", "300", "--out-dir", tmp.dir]);
      assert.equal(demo.code, 0, demo.stderr);
      const model = join(tmp.dir, "models", "order_model.sigh");
      const run = await runCli(["test-orders", "--model", model]);
      assert.equal(run.code, 0, run.stderr);
      for (const name of ["regular lunch", "family dinner", "late-night mega order",
        "rapid repeat", "cost spike", "4 AM snack", "production example"]) {
        assert.match(run.stdout, new RegExp(`\\d\\. (A|The) ${name}:`, "i"));
      }
      assert.match(run.stdout, /\d of 7 example orders flagged as anomalies\n$/);
    } finally {
      tmp.remove();
    }
  });

  test("default model flags the mega order, not the lunch", async () => {
    const run = await runCli(["test-orders"]);
    assert.equal(run.code, 0, run.stderr);
    const verdicts = new Map<string, string>();
    for (const block of run.stdout.split(/\n\n/)) {
      const name = /^\d\. (.+?):/.exec(block)?.[1];
      if (name) verdicts.set(name, /🚨 ANOMALY/.test(block) ? "anomaly" : "normal");
    }
    assert.equal(verdicts.size, 7, [...verdicts.keys()].join(", "));
    assert.equal(verdicts.get("A regular lunch"), "normal");
    assert.equal(verdicts.get("A late-night mega order"), "anomaly");
    assert.equal(verdicts.get("The production example"), "anomaly");
  });
});
