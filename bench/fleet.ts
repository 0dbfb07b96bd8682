/**
 * Throughput of the scorer fleet: events per second for one and for two `sigh consume`
 * processes draining a backlog on a local nats-server, next to the rate of scoring
 * alone and of publishing, to show what limits the fleet.
 *
 *   node --import tsx bench/fleet.ts [--events 40000] [--batch 64]
 *
 * Each run starts a fresh nats-server, stores the backlog, starts the consumers, and
 * measures acknowledged events per second from the moment all of them have started.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AnomalyModel } from "../src/engine/index.js";
import { connectFleet } from "../src/fleet/connect.js";
import { killAndWait, startNatsServer } from "../src/fleet/nats-server.js";
import { publishEvents, type SourceEvent } from "../src/fleet/publisher.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ORDERS_CSV = join(ROOT, "../shared/fixtures/original-orders/bobs_burgers_orders.csv");
const FEATURES = [
  "items_per_order", "time_since_last_order", "order_time",
  "customer_frequency", "total_cost", "prep_time_estimate",
];

const { values } = parseArgs({
  options: { events: { type: "string" }, batch: { type: "string" } },
});
const EVENTS = Number(values.events ?? 40_000);
const BATCH = Number(values.batch ?? 64);

function fixtureEvents(count: number): Record<string, unknown>[] {
  const [header, ...rows] = readFileSync(ORDERS_CSV, "utf8").trim().split("\n");
  const columns = header.split(",");
  const picks = FEATURES.map((name) => columns.indexOf(name));
  return Array.from({ length: count }, (_, i) => {
    const cells = rows[i % rows.length].split(",");
    const record: Record<string, unknown> = { order_id: `EV${i}` };
    FEATURES.forEach((name, k) => (record[name] = Number(cells[picks[k]])));
    return record;
  });
}

async function* asSource(records: Record<string, unknown>[]): AsyncIterable<SourceEvent> {
  for (let i = 0; i < records.length; i++) yield { record: records[i], line: i + 2 };
}

function runSigh(args: string[]): ChildProcess & { log: string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  }) as ChildProcess & { log: string };
  child.log = "";
  child.stderr?.on("data", (chunk) => (child.log += chunk));
  return child;
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Scores `records` in-process: the ceiling set by the model alone. */
function scoringRate(model: AnomalyModel, records: Record<string, unknown>[]): number {
  const started = performance.now();
  for (const record of records) model.score(record);
  return records.length / ((performance.now() - started) / 1000);
}

/** Scoring plus the JSON work one event costs a consumer, without NATS. */
function scoringWithJsonRate(
  model: AnomalyModel,
  records: Record<string, unknown>[],
): number {
  const bodies = records.map((r) => new TextEncoder().encode(JSON.stringify(r)));
  const started = performance.now();
  for (const body of bodies) {
    const record = JSON.parse(new TextDecoder().decode(body));
    const result = model.score(record);
    JSON.stringify({ eventId: record.order_id, ...result });
  }
  return bodies.length / ((performance.now() - started) / 1000);
}

/** CPU seconds (user + system) a process has used so far; NaN where /proc is missing. */
function cpuSeconds(pid: number | undefined): number {
  const path = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(path)) return NaN;
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks.
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function fleetRun(
  consumers: number,
  modelPath: string,
  records: Record<string, unknown>[],
) {
  const server = await startNatsServer();
  const children: ChildProcess[] = [];
  try {
    const fleet = await connectFleet(server.url);
    await fleet.jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"] });
    const publishStart = performance.now();
    await publishEvents(fleet.js, asSource(records), {
      subject: "orders.new", idField: "order_id", sourceName: "bench",
    });
    const publishRate = records.length / ((performance.now() - publishStart) / 1000);

    const args = [
      "consume", "--nats", server.url, "--model", modelPath, "--batch", String(BATCH),
    ];
    for (let i = 0; i < consumers; i++) children.push(runSigh(args));
    const started = () => children.every((c) => (c as { log: string } & ChildProcess).log
      .includes("\"consumer started\""));
    await waitFor(started, 30_000, "consumers to start");

    const ackFloor = async () =>
      (await fleet.jsm.consumers.info("ORDERS", "scorers")).ack_floor.stream_seq;
    const cpuOf = () => [server.process, ...children].map((c) => cpuSeconds(c.pid));
    const cpu0 = cpuOf();
    const t0 = performance.now();
    const a0 = await ackFloor();
    await waitFor(async () => (await ackFloor()) >= records.length, 300_000, "the backlog");
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuOf().map((c, i) => (c - cpu0[i]) / seconds);
    await fleet.nc.close();
    const measured = records.length - a0;
    return { rate: measured / seconds, seconds, measured, publishRate, cpu };
  } finally {
    await Promise.all(children.map((c) => killAndWait(c)));
    await server.stop();
  }
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), "sigh-fleet-bench-"));
  try {
    const modelPath = join(workDir, "model.bin");
    const train = runSigh(["train", ORDERS_CSV, "--model", modelPath]);
    await new Promise((resolve) => train.once("exit", resolve));
    const model = AnomalyModel.fromBytes(new Uint8Array(readFileSync(modelPath)));
    const records = fixtureEvents(EVENTS);

    const cpuModel = cpus()[0]?.model ?? "unknown";
    console.log(`sigh fleet bench: ${EVENTS} events, batch ${BATCH}, ` +
      `${cpus().length} CPU cores (${cpuModel}), node ${process.version}`);
    const sample = records.slice(0, 20_000);
    const alone = Math.round(scoringRate(model, sample));
    const withJson = Math.round(scoringWithJsonRate(model, sample));
    console.log(`model ${model.modelId}: scoring alone ${alone} events/s, ` +
      `with JSON decode and encode ${withJson} events/s`);

    const one = await fleetRun(1, modelPath, records);
    const publishRate = Math.round(one.publishRate);
    console.log(`publish (JetStream acks, 256 in flight): ${publishRate} events/s`);
    console.log(`1 consumer : ${Math.round(one.rate)} events/s ` +
      `(${one.measured} events in ${one.seconds.toFixed(2)} s); ${cpuLine(one.cpu)}`);
    const two = await fleetRun(2, modelPath, records);
    console.log(`2 consumers: ${Math.round(two.rate)} events/s ` +
      `(${two.measured} events in ${two.seconds.toFixed(2)} s), ` +
      `${(two.rate / one.rate).toFixed(2)}x one consumer; ${cpuLine(two.cpu)}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Formats CPU use in cores: the server first, then each consumer. */
function cpuLine(cpu: number[]): string {
  const [server, ...consumers] = cpu.map((c) => c.toFixed(2));
  return `CPU cores busy: nats-server ${server}, consumers ${consumers.join(" + ")}`;
}

await main();
