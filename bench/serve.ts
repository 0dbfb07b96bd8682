/**
 * Throughput and latency of `POST /v1/score` with one event per request, measured with
 * autocannon against the real service on 127.0.0.1, next to a trivial route that only
 * returns 200 on the same fastify instance (same JSON parser, hooks and metrics).
 *
 * The server runs in a child process and autocannon in this one, so on a 2-core machine
 * each gets about one core. Each target gets a 2 s warm-up, then `--duration` seconds
 * (default 10) with `--connections` connections (default 10), no pipelining.
 *
 *   npm run bench:serve [-- --duration 10 --connections 10]
 */

import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { loadOriginalOrders } from "../src/data/original-orders.js";
import { AnomalyModel, OrderAnomalyModel } from "../src/engine/index.js";
import { defaultSettings } from "../src/serve/prepare.js";
import { createService } from "../src/serve/server.js";

const ORDERS_CSV = "../shared/fixtures/original-orders/bobs_burgers_orders.csv";

interface AutocannonResult {
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number,
    responseTimeMs: number) => void): void;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

interface Measurement {
  result: AutocannonResult;
  /** Response times in ms of the 2xx responses, sorted ascending. */
  latencies: Float64Array;
}

/**
 * Runs autocannon and keeps every response time. Its own histogram stores whole
 * milliseconds, too coarse here, so the percentiles come from the "response" events.
 */
function measure(options: Record<string, unknown>): Promise<Measurement> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => {
      if (error) reject(error);
      else resolve({ result, latencies: Float64Array.from(times).sort() });
    });
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) times.push(ms);
    });
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A normal order (allow) and a far-out one (throttle: logged and stored for review). */
const NORMAL = { order_id: "bench-1", items_per_order: 3, time_since_last_order: 1400,
  order_time: 12.5, customer_frequency: 1, total_cost: 24, prep_time_estimate: 12 };
const ANOMALY = { order_id: "bench-2", items_per_order: 40, time_since_last_order: 2,
  order_time: 4, customer_frequency: 30, total_cost: 900, prep_time_estimate: 95 };

if (process.argv.includes("--server")) {
  await runServer(process.argv[process.argv.indexOf("--server") + 1]);
} else {
  await runBench();
}

/** Child process: serve the model and add the trivial comparison route. */
async function runServer(modelPath: string): Promise<void> {
  const service = createService({
    modelPath,
    decode: (bytes) => AnomalyModel.fromBytes(bytes),
    settings: defaultSettings(),
    log: pino({ timestamp: pino.stdTimeFunctions.isoTime }),
    watch: false,
  });
  service.app.post("/bench/noop", async () => ({ ok: true }));
  await service.loadModel();
  const url = await service.app.listen({ port: 0, host: "127.0.0.1" });
  process.send?.({ url });
  process.on("message", (message) => {
    if (message === "stop") void service.close().then(() => process.exit(0));
  });
}

async function runBench(): Promise<void> {
  const { values } = parseArgs({
    options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "10" } },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const dir = mkdtempSync(join(tmpdir(), "sigh-bench-serve-"));
  const modelPath = join(dir, "model.sigh");

  const orders = await loadOriginalOrders(ORDERS_CSV);
  const model = new OrderAnomalyModel({ eps: 0.8, minSamples: 10 }).fitMatrix(orders.values, orders.rows);
  writeFileSync(modelPath, model.toBytes());
  console.log(`model: ${orders.rows} orders, ${model.clusters.length} clusters, id ${model.modelId}`);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`load: ${connections} connections, ${duration} s per target, server in a child process\n`);

  const child = fork(new URL(import.meta.url).pathname, ["--server", modelPath], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  try {
    const url = await waitForUrl(child);
    const targets: [string, string, unknown][] = [
      ["return 200 (same app)", "/bench/noop", NORMAL],
      ["score, normal event", "/v1/score", NORMAL],
      ["score, flagged event", "/v1/score", ANOMALY],
    ];
    const rows: { name: string; measured: Measurement }[] = [];
    for (const [name, path, body] of targets) {
      const options = {
        url: url + path, method: "POST", connections, pipelining: 1,
        headers: { "content-type": "application/json" }, body: JSON.stringify(body),
      };
      await measure({ ...options, duration: 2 });
      rows.push({ name, measured: await measure({ ...options, duration }) });
    }
    printTable(rows);
    console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  } finally {
    child.send("stop");
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`the server process exited with code ${code}`)));
  });
}

function printTable(rows: { name: string; measured: Measurement }[]): void {
  const base = rows[0].measured.result.requests.average;
  console.log("target                    req/s   p50 ms  p99 ms  p99.9 ms  max ms  errors  non-2xx  vs 200");
  for (const { name, measured } of rows) {
    const { result, latencies } = measured;
    const ms = (p: number) => percentile(latencies, p).toFixed(2);
    console.log(
      name.padEnd(24) +
        result.requests.average.toFixed(0).padStart(7) +
        ms(50).padStart(9) +
        ms(99).padStart(8) +
        ms(99.9).padStart(10) +
        ms(100).padStart(8) +
        String(result.errors + result.timeouts).padStart(8) +
        String(result.non2xx).padStart(9) +
        (result.requests.average / base).toFixed(2).padStart(8),
    );
  }
}
