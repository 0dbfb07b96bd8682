/**
 * `sigh train` against reference DBSCAN results from scikit-learn 1.2.1: the labels file
 * must match the reference byte for byte, and the original orders must get their
 * published clusters.
 */

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  FIXTURES,
  ORDER_FEATURES_ARG,
  ORIGINAL_ORDERS,
  PRODUCTION_ORDER_JSON,
  parseCsv,
  runCli,
  tempDir,
} from "./cli-helpers.js";

interface ParityMeta {
  eps: number;
  min_samples: number;
  scale: string;
}

const PARITY = join(FIXTURES, "dbscan-parity");

describe("train --labels-out matches scikit-learn", () => {
  const tmp = tempDir();
  after(tmp.remove);

  for (const name of readdirSync(PARITY).sort()) {
    test(name, async () => {
      const folder = join(PARITY, name);
      const meta = JSON.parse(readFileSync(join(folder, "meta.json"), "utf8")) as ParityMeta;
      const data = join(folder, "data.csv");
      const header = readFileSync(data, "utf8").split(/\r?\n/)[0];
      const out = join(tmp.dir, `${name}.csv`);
      const run = await runCli([
        "train", data,
        "--model", join(tmp.dir, `${name}.sigh`),
        "--eps", String(meta.eps),
        "--min-samples", String(meta.min_samples),
        "--scale", meta.scale,
        "--features", header,
        "--labels-out", out,
      ]);
      assert.equal(run.stderr, "");
      assert.equal(run.code, 0);
      const expected = readFileSync(join(folder, "expected.csv"));
      const actual = readFileSync(out);
      if (!actual.equals(expected)) {
        const a = actual.toString().split("\n");
        const e = expected.toString().split("\n");
        const line = e.findIndex((text, i) => a[i] !== text);
        const [want, got] = [JSON.stringify(e[line]), JSON.stringify(a[line])];
        assert.fail(`line ${line + 1}: expected ${want}, got ${got}`);
      }
    });
  }
});

describe("original orders", () => {
  const tmp = tempDir();
  const model = join(tmp.dir, "orders.sigh");
  const labels = join(tmp.dir, "labels.csv");
  let trainRun: Awaited<ReturnType<typeof runCli>>;
  before(async () => {
    trainRun = await runCli([
      "train", ORIGINAL_ORDERS, "--model", model, "--eps", "0.8", "--min-samples", "10",
      "--features", ORDER_FEATURES_ARG, "--labels-out", labels,
    ]);
  });
  after(tmp.remove);

  test("labels equal the cluster column", () => {
    assert.equal(trainRun.code, 0, trainRun.stderr);
    const [header, ...rows] = parseCsv(readFileSync(ORIGINAL_ORDERS, "utf8"));
    const expected = rows.map((row) => row[header.indexOf("cluster")]);
    const actual = parseCsv(readFileSync(labels, "utf8")).slice(1).map((row) => row[0]);
    assert.deepEqual(actual, expected);
  });

  test("cluster sizes are 506, 136, 304 and 54 noise", () => {
    const labelled = parseCsv(readFileSync(labels, "utf8")).slice(1).map((row) => row[0]);
    const count = (label: string) => labelled.filter((l) => l === label).length;
    assert.equal(count("-1"), 54);
    assert.equal(count("0"), 506);
    assert.equal(count("1"), 136);
    assert.equal(count("2"), 304);
  });

  test("summary names rows, clusters and noise", () => {
    assert.match(trainRun.stdout, /Rows:\s+1,000\n/);
    assert.match(trainRun.stdout, /Clusters:\s+3\n/);
    assert.match(trainRun.stdout, /Noise \(anomalies\):\s+54 \(5\.4%\)\n/);
  });

  test("production example is extreme", async () => {
    const run = await runCli([
      "score", "--model", model, "--order", PRODUCTION_ORDER_JSON, "--format", "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.isAnomaly, true);
    const level = (feature: string) =>
      result.deviations.find((d: { feature: string }) => d.feature === feature)?.level;
    assert.equal(level("items_per_order"), "EXTREME");
    assert.equal(level("total_cost"), "EXTREME");
    assert.equal(level("prep_time_estimate"), "EXTREME");
  });

  test("scoring training rows flags exactly the noise", async () => {
    const run = await runCli(["score", "--model", model, ORIGINAL_ORDERS, "--format", "csv"]);
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = parseCsv(run.stdout);
    const flagged = rows.map((row) => row[header.indexOf("isAnomaly")] === "true");
    const noise = parseCsv(readFileSync(labels, "utf8")).slice(1).map((row) => row[0] === "-1");
    assert.equal(flagged.length, 1000);
    const differing = flagged.flatMap((f, i) => (f !== noise[i] ? [i] : []));
    assert.deepEqual(differing, [], "rows flagged differently from their training label");
  });
});

test("default features make order_time cyclic", async () => {
  const tmp = tempDir();
  try {
    const cyclic = ORDER_FEATURES_ARG.replace("order_time", "order_time:24");
    const labels = async (extra: string[], name: string) => {
      const out = join(tmp.dir, name);
      const run = await runCli([
        "train", ORIGINAL_ORDERS, "--model", join(tmp.dir, `${name}.sigh`),
        "--labels-out", out, "--eps", "0.8", ...extra,
      ]);
      assert.equal(run.code, 0, run.stderr);
      return readFileSync(out, "utf8");
    };
    const byDefault = await labels([], "default.csv");
    const withPeriod = await labels(["--features", cyclic], "period.csv");
    const linear = await labels(["--features", ORDER_FEATURES_ARG], "linear.csv");
    assert.equal(byDefault, withPeriod);
    assert.notEqual(byDefault, linear);
  } finally {
    tmp.remove();
  }
});
