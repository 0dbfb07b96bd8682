/** One benchmark size, run in its own process by engine.ts; prints one JSON line. */

import { readFileSync } from "node:fs";
import { OrderAnomalyModel, ORDER_FEATURE_NAMES } from "../src/engine/index.js";
import { createParallelRunner } from "../src/train/parallel.js";

const [path, rowsText, threadsText, epsText] = process.argv.slice(2);
const rows = Number(rowsText);
const threads = Number(threadsText);
const eps = epsText === "auto" ? "auto" : Number(epsText);
const runner = threads > 1 ? await createParallelRunner({ threads }) : undefined;
const bytes = readFileSync(path);
const values = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8).slice();
globalThis.gc?.();
const baselineMb = process.memoryUsage().rss / 1e6;

const model = new OrderAnomalyModel({ eps });
const started = performance.now();
const phases: Record<string, number> = {};
let phaseStart = started;
model.fitMatrix(values, rows, {
  kDistanceRunner: runner?.run,
  onProgress: (p) => {
    if (p.done !== p.total || p.phase in phases) return;
    const now = performance.now();
    phases[p.phase] = now - phaseStart;
    phaseStart = now;
  },
});
const fitMillis = performance.now() - started;
phases.profiles = performance.now() - phaseStart;
await runner?.close();
const peakMb = process.resourceUsage().maxRSS / 1e3;

// Batch scoring over the training rows, at least 200,000 rows in all.
const repeats = Math.max(1, Math.ceil(200_000 / rows));
const batchStart = performance.now();
for (let r = 0; r < repeats; r++) model.scoreMatrix(values, rows);
const batchRowsPerSecond = (repeats * rows) / ((performance.now() - batchStart) / 1000);

// One-row scoring with explanations: median over 20,000 calls on varied rows.
const dims = ORDER_FEATURE_NAMES.length;
const events = Array.from({ length: 1000 }, (_, i) => {
  const at = ((i * 7919) % rows) * dims;
  return Object.fromEntries(ORDER_FEATURE_NAMES.map((name, k) => [name, values[at + k]]));
});
for (let i = 0; i < 2000; i++) model.score(events[i % events.length]);
const times = new Float64Array(20000);
for (let i = 0; i < times.length; i++) {
  const t = performance.now();
  model.score(events[i % events.length]);
  times[i] = performance.now() - t;
}
times.sort();

console.log(
  JSON.stringify({
    rows,
    fitMillis,
    clusters: model.summary.clusters,
    noise: model.summary.noise,
    coreSamples: model.summary.coreSamples,
    batchRowsPerSecond,
    singleMedianMicros: times[times.length >> 1] * 1000,
    baselineMb,
    peakMb,
    threads,
    phases,
  }),
);
