import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { anomalousOrder, encodeModel, get, post, trainModel } from "./serve-support.js";

test("sigh serve runs and stops on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sigh-serve-cli-"));
  const modelPath = join(dir, "model.sigh");
  writeFileSync(modelPath, encodeModel(trainModel()));
  const child = spawn(process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "serve", "--model", modelPath, "--port", "0",
      "--strict", "--throttle-threshold", "1000"],
    { stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === "model loaded") {
          const listening = lines.find((l) => l.msg === "server listening");
          resolve(String(listening?.url));
        }
      });
      child.once("exit", (code) => reject(new Error(`sigh serve exited early with code ${code}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);

    const flagged = await post(`${url}/v1/score`, anomalousOrder("cli-9"));
    assert.equal(flagged.status, 200);
    assert.equal(flagged.body.action, "review", "the throttle threshold comes from the option");
    const strict = await post(`${url}/v1/score`, { ...anomalousOrder(), note: "x" });
    assert.equal(strict.body.error.code, "UNKNOWN_FIELD");
    const model = await get(`${url}/v1/model`);
    assert.deepEqual(model.body.actionThresholds, { review: 1, throttle: 1000 });

    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    const messages = lines.map((l) => l.msg);
    assert.ok(messages.includes("anomaly flagged"));
    assert.ok(messages.includes("shutdown finished"));
    assert.ok(existsSync(`${modelPath}.review.db`));
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sigh serve fails on a bad model file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sigh-serve-cli-"));
  const modelPath = join(dir, "broken.sigh");
  writeFileSync(modelPath, "not a model");
  try {
    const child = spawn(process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "serve", "--model", modelPath, "--port", "0"],
      { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 1);
    assert.ok(stderr.includes(modelPath), stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sigh serve rejects a bad command line", async () => {
  const child = spawn(process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "serve", "--model", "m.sigh",
      "--review-threshold", "3", "--throttle-threshold", "2"],
    { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal(code, 2);
  assert.match(stderr, /--throttle-threshold 2 is below --review-threshold 3/);
});
