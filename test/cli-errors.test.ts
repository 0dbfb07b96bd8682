/** Exit codes and the exact one-line messages of `sigh` for bad command lines and files. */

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { commands } from "../src/cli/commands/index.js";
import { ORIGINAL_ORDERS, PRODUCTION_ORDER_JSON, runCli, tempDir } from "./cli-helpers.js";

const FEATURE_LIST =
  "items_per_order, time_since_last_order, order_time, customer_frequency, total_cost, " +
  "prep_time_estimate";
const ORDER_EXPECTED = `expected a JSON object with a number for each of ${FEATURE_LIST}`;

describe("cli errors", () => {
  const tmp = tempDir();
  const model = join(tmp.dir, "orders.sigh");
  const bad = join(tmp.dir, "bad.csv");
  before(async () => {
    writeFileSync(bad, [
      "items_per_order,time_since_last_order,order_time,customer_frequency,total_cost," +
        "prep_time_estimate",
      "2,1440,12.5,0.95,16,8",
      "2,1440,12.5,0.95,NaN,8",
      "",
    ].join("\n"));
    const run = await runCli(["train", ORIGINAL_ORDERS, "--model", model]);
    assert.equal(run.code, 0, run.stderr);
  });
  after(tmp.remove);

  /** Runs `args` and checks the exit code and that stderr is exactly `message`. */
  async function expectError(args: string[], code: number, message: string): Promise<void> {
    const run = await runCli(args, { cwd: tmp.dir });
    assert.equal(run.stderr, `sigh: ${message}\n`);
    assert.equal(run.code, code);
    assert.equal(run.stdout, "");
  }

  test("unknown command", async () => {
    const names = commands.map((c) => c.name).join(", ");
    await expectError(["frobnicate"], 2, `unknown command "frobnicate" (commands: ${names})`);
  });

  test("unknown option", async () => {
    await expectError(
      ["train", "data.csv", "--model", "m.sigh", "--bogus"],
      2,
      'unknown option "--bogus" (run "sigh train --help" for usage)',
    );
  });

  test("unknown global option", async () => {
    await expectError(["--bogus"], 2, 'unknown option "--bogus" (run "sigh --help" for usage)');
  });

  test("missing argument", async () => {
    await expectError(
      ["train", "--model", "m.sigh"],
      2,
      'missing argument DATA.csv (run "sigh train --help" for usage)',
    );
  });

  test("option without value", async () => {
    await expectError(
      ["train", "data.csv", "--model"],
      2,
      'option --model needs a value (run "sigh train --help" for usage)',
    );
  });

  test("missing data file", async () => {
    await expectError(
      ["train", "missing.csv", "--model", "m.sigh"],
      1,
      "data file missing.csv: file not found",
    );
  });

  test("missing model file", async () => {
    await expectError(
      ["score", "--model", "missing.sigh", ORIGINAL_ORDERS],
      1,
      `model file ${join(tmp.dir, "missing.sigh")}: file not found`,
    );
  });

  test("bad --eps value", async () => {
    await expectError(
      ["train", ORIGINAL_ORDERS, "--model", "m.sigh", "--eps", "wide"],
      2,
      'invalid value "wide" for --eps: expected a number > 0 or "auto"',
    );
    await expectError(
      ["train", ORIGINAL_ORDERS, "--model", "m.sigh", "--eps=-1"],
      2,
      'invalid value "-1" for --eps: expected a number > 0 or "auto"',
    );
  });

  test("bad --min-samples value", async () => {
    await expectError(
      ["train", ORIGINAL_ORDERS, "--model", "m.sigh", "--min-samples", "2.5"],
      2,
      'invalid value "2.5" for --min-samples: expected an integer >= 1',
    );
  });

  test("bad --features value", async () => {
    await expectError(
      ["train", ORIGINAL_ORDERS, "--model", "m.sigh", "--features", "total_cost,,order_time"],
      2,
      'invalid value "total_cost,,order_time" for --features: ' +
        "expected column names separated by commas",
    );
    await expectError(
      ["train", ORIGINAL_ORDERS, "--model", "m.sigh", "--features", "order_time:0"],
      2,
      'invalid value "order_time:0" for --features: ' +
        'the period of "order_time" must be a number > 0, received "0"',
    );
    await expectError(
      ["train", ORIGINAL_ORDERS, "--model", "m.sigh", "--features", "total_cost,total_cost"],
      2,
      'invalid value "total_cost,total_cost" for --features: "total_cost" is listed twice',
    );
  });

  test("bad --format value", async () => {
    await expectError(
      ["score", "--model", model, ORIGINAL_ORDERS, "--format", "xml"],
      2,
      'invalid value "xml" for --format: expected one of table, json, ndjson, csv',
    );
  });

  test("bad --order JSON", async () => {
    await expectError(
      ["score", "--model", model, "--order", '{"items_per_order":35,'],
      2,
      `invalid value '{"items_per_order":35,' for --order: not valid JSON (${ORDER_EXPECTED})`,
    );
  });

  test("--order that is not an object", async () => {
    await expectError(
      ["score", "--model", model, "--order", "[35]"],
      2,
      `invalid value '[35]' for --order: ${ORDER_EXPECTED}`,
    );
  });

  test("missing feature in --order", async () => {
    const order = JSON.parse(PRODUCTION_ORDER_JSON);
    delete order.total_cost;
    await expectError(
      ["score", "--model", model, "--order", JSON.stringify(order)],
      2,
      `invalid value for --order: missing feature "total_cost" (${ORDER_EXPECTED})`,
    );
  });

  test("non-numeric feature in --order", async () => {
    const order = { ...JSON.parse(PRODUCTION_ORDER_JSON), total_cost: "380" };
    await expectError(
      ["score", "--model", model, "--order", JSON.stringify(order)],
      2,
      `invalid value for --order: feature "total_cost" is "380" (${ORDER_EXPECTED})`,
    );
  });

  test("corrupt model file", async () => {
    writeFileSync(join(tmp.dir, "corrupt.sigh"), "this is not a model\n");
    await expectError(
      ["score", "--model", "corrupt.sigh", "--order", PRODUCTION_ORDER_JSON],
      1,
      `${join(tmp.dir, "corrupt.sigh")}: not a sigh model file: the first bytes are not SIGHMDL`,
    );
  });

  test("truncated model file", async () => {
    const bytes = readFileSync(model);
    writeFileSync(join(tmp.dir, "truncated.sigh"), bytes.subarray(0, bytes.length - 10));
    const run = await runCli(
      ["score", "--model", "truncated.sigh", "--order", PRODUCTION_ORDER_JSON],
      { cwd: tmp.dir },
    );
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    const expected = /^sigh: \S+truncated\.sigh: model file is (truncated|corrupt)[^\n]*\n$/;
    assert.match(run.stderr, expected);
  });

  test("invalid value in a data row", async () => {
    const run = await runCli(["score", "--model", model, bad, "--format", "csv"]);
    assert.equal(run.code, 1);
    const expected = /^sigh: .*bad\.csv:3: column "total_cost": invalid number "NaN"[^\n]*\n$/;
    assert.match(run.stderr, expected);
  });

  test("--skip-invalid reports skipped rows", async () => {
    const run = await runCli(["score", "--model", model, bad, "--format", "csv", "--skip-invalid"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^sigh: skipped 1 invalid row of .*bad\.csv\n/);
    assert.equal(run.stdout.trim().split("\n").length, 2);
  });

  test("--verbose prints the stack", async () => {
    const run = await runCli(["--verbose", "train", "missing.csv", "--model", "m.sigh"], {});
    assert.equal(run.code, 1);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines[0], "sigh: data file missing.csv: file not found");
    assert.ok(lines.length > 1, "expected a stack trace after the message");
  });
});
