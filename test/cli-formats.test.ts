/** `sigh score` output formats parse back, and the real executable runs as a subprocess. */

import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  ORIGINAL_ORDERS,
  PRODUCTION_ORDER_JSON,
  parseCsv,
  runCli,
  tempDir,
} from "./cli-helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLE_ROWS = 40;

describe("score formats", () => {
  const tmp = tempDir();
  const model = join(tmp.dir, "orders.sigh");
  const lines = readFileSync(ORIGINAL_ORDERS, "utf8").trimEnd().split("\n");
  const sample = lines.slice(0, SAMPLE_ROWS + 1).join("\n") + "\n";
  const sampleIds = lines.slice(1, SAMPLE_ROWS + 1).map((line) => line.split(",")[0]);
  before(async () => {
    const run = await runCli(["train", ORIGINAL_ORDERS, "--model", model]);
    assert.equal(run.code, 0, run.stderr);
  });
  after(tmp.remove);

  test("json is an array of score results", async () => {
    const run = await runCli(["score", "--model", model, "-", "--format", "json"], {
      stdin: sample,
    });
    assert.equal(run.code, 0, run.stderr);
    const results = JSON.parse(run.stdout);
    assert.ok(Array.isArray(results));
    assert.equal(results.length, SAMPLE_ROWS);
    for (const result of results) {
      assert.equal(typeof result.isAnomaly, "boolean");
      assert.equal(typeof result.score, "number");
      assert.equal(result.deviations.length, 6);
    }
  });

  test("json for --order is one object", async () => {
    const run = await runCli([
      "score", "--model", model, "--order", PRODUCTION_ORDER_JSON, "--format", "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(Array.isArray(result), false);
    assert.equal(result.isAnomaly, true);
  });

  test("ndjson matches json line by line", async () => {
    const json = await runCli(["score", "--model", model, "-", "--format", "json"], {
      stdin: sample,
    });
    const ndjson = await runCli(["score", "--model", model, "-", "--format", "ndjson"], {
      stdin: sample,
    });
    assert.equal(ndjson.code, 0, ndjson.stderr);
    const rows = ndjson.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(rows, JSON.parse(json.stdout));
  });

  test("csv has one row per input row in order", async () => {
    const run = await runCli(["score", "--model", model, "-", "--format", "csv"], {
      stdin: sample,
    });
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = parseCsv(run.stdout);
    assert.deepEqual(header.slice(0, 6),
      ["order_id", "isAnomaly", "cluster", "clusterName", "score", "distance"]);
    assert.ok(header.includes("topFeature"));
    assert.deepEqual(rows.map((row) => row[0]), sampleIds);
    const json = JSON.parse((await runCli(
      ["score", "--model", model, "-", "--format", "json"], { stdin: sample })).stdout);
    rows.forEach((row, i) => {
      assert.equal(row[1], String(json[i].isAnomaly));
      assert.equal(Number(row[2]), json[i].cluster);
      assert.equal(row[3], json[i].clusterName);
      assert.equal(Number(row[4]), json[i].score);
      assert.equal(Number(row[5]), json[i].distance);
    });
  });

  test("csv id column follows --id-field", async () => {
    const run = await runCli([
      "score", "--model", model, ORIGINAL_ORDERS, "--format", "csv", "--id-field", "customer",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const [header, first] = parseCsv(run.stdout);
    assert.equal(header[0], "customer");
    assert.equal(first[0], "tina");
  });

  test("table explains anomalies", async () => {
    const run = await runCli(["score", "--model", model, "--order", PRODUCTION_ORDER_JSON]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /🚨 ANOMALY/);
    assert.match(run.stdout, /Total cost +\$380\.00 .*🔴 EXTREME/);
  });
});

describe("help and version", () => {
  test("--help lists the commands", async () => {
    const run = await runCli(["--help"]);
    assert.equal(run.code, 0);
    for (const name of ["demo", "generate", "train", "score", "test-orders"]) {
      assert.match(run.stdout, new RegExp(`^  ${name} `, "m"));
    }
  });

  test("COMMAND --help prints its usage", async () => {
    const run = await runCli(["score", "--help"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: sigh score/);
  });

  test("--version prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const run = await runCli(["--version"]);
    assert.equal(run.stdout, `sigh ${pkg.version}\n`);
  });
});

describe("subprocess", () => {
  const exec = promisify(execFile);
  const sigh = (args: string[]) =>
    exec(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT });

  test("score --order runs as a real process", async () => {
    const tmp = tempDir();
    try {
      const model = join(tmp.dir, "orders.sigh");
      await sigh(["train", ORIGINAL_ORDERS, "--model", model]);
      const { stdout } = await sigh([
        "score", "--model", model, "--order", PRODUCTION_ORDER_JSON, "--format", "json",
      ]);
      assert.equal(JSON.parse(stdout).isAnomaly, true);
    } finally {
      tmp.remove();
    }
  });

  test("closed stdout pipe ends quietly", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "generate", "--rows", "200000"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Read one chunk, then close the pipe as `head` does.
    await once(child.stdout, "data");
    child.stdout.destroy();
    const [code] = await once(child, "exit");
    assert.equal(stderr, "");
    assert.equal(code, 0);
  });

  test("usage error exits 2 with one line", async () => {
    await assert.rejects(sigh(["frobnicate"]), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /^sigh: unknown command "frobnicate" \(commands: [^\n]+\)\n$/);
      return true;
    });
  });
});
