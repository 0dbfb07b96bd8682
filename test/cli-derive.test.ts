/** `sigh derive` on a small event log, and its output fed to `sigh train`. */

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseCsv, runCli, tempDir } from "./cli-helpers.js";

describe("derive", () => {
  const tmp = tempDir();
  const raw = join(tmp.dir, "raw.csv");
  before(() => {
    writeFileSync(raw, [
      "user,ts,amount",
      "a,2024-03-31T00:30:00Z,10",
      "b,2024-03-31T05:00:00Z,20",
      "a,2024-03-31T01:30:00Z,12",
      "",
    ].join("\n"));
  });
  after(tmp.remove);

  test("writes derived columns in input order", async () => {
    const run = await runCli([
      "derive", raw, "--entity", "user", "--time", "ts", "--tz", "Europe/London",
      "--keep", "amount",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(parseCsv(run.stdout), [
      ["user", "ts", "amount", "time_since_last_event", "events_per_day", "hour_of_day"],
      ["a", "2024-03-31T00:30:00Z", "10", "", "2", "0.5"],
      ["b", "2024-03-31T05:00:00Z", "20", "", "1", "6"],
      // 01:30 UTC is 02:30 in London: summer time starts at 01:00 UTC that day.
      ["a", "2024-03-31T01:30:00Z", "12", "60", "2", "2.5"],
    ]);
  });

  test("orders names and dropped first events", async () => {
    const out = join(tmp.dir, "derived.csv");
    const run = await runCli([
      "derive", "-", "--entity", "user", "--time", "ts", "--tz", "UTC",
      "--names", "orders", "--first-event", "drop", "--out", out,
    ], { stdin: readFileSync(raw, "utf8") });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "wrote 1 row to " + out + ", 2 first events dropped\n");
    const [header, row] = parseCsv(readFileSync(out, "utf8"));
    assert.deepEqual(header,
      ["user", "ts", "time_since_last_order", "customer_frequency", "order_time"]);
    assert.deepEqual(row, ["a", "2024-03-31T01:30:00Z", "60", "2", "1.5"]);
  });

  test("bad time zone is a usage error", async () => {
    const run = await runCli(["derive", raw, "--entity", "user", "--time", "ts", "--tz", "Mars"]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'sigh: invalid value "Mars" for --tz: expected an IANA time ' +
      "zone such as UTC, Europe/London or America/New_York\n");
  });

  test("missing --tz is a usage error", async () => {
    const run = await runCli(["derive", raw, "--entity", "user", "--time", "ts"]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr,
      'sigh: missing option --tz ZONE (run "sigh derive --help" for usage)\n');
  });

  test("bad timestamp names line and value", async () => {
    const bad = join(tmp.dir, "bad.csv");
    writeFileSync(bad, readFileSync(raw, "utf8") + "a,yesterday,3\n");
    const run = await runCli(["derive", bad, "--entity", "user", "--time", "ts", "--tz", "UTC"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^sigh: \S*bad\.csv:5: column "ts": invalid timestamp "yesterday"/);
    const skipped = await runCli([
      "derive", bad, "--entity", "user", "--time", "ts", "--tz", "UTC", "--skip-invalid",
    ]);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stderr, /^sigh: skipped 1 invalid row of \S*bad\.csv\n/);
    assert.equal(parseCsv(skipped.stdout).length, 4);
  });
});
