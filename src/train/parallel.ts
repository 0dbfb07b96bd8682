/**
 * Spreads the k-distance search of a fit, its largest part, over worker threads.
 *
 *   const runner = await createParallelRunner({ threads: 2 });
 *   try { model.fitMatrix(values, rows, { kDistanceRunner: runner.run }); }
 *   finally { await runner.close(); }
 *
 * The engine's fit stays synchronous: `run` copies the tree into shared memory, wakes
 * the workers and blocks on `Atomics.wait` until they are done, reporting progress
 * every tenth of a second. Workers must be started before the fit, which is why
 * creating the runner is asynchronous.
 */

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { KDistanceRunner, KdTree, KdTreeParts } from "../engine/index.js";
import type { KDistanceTask } from "./k-distance-worker.js";

const CHUNK_ROWS = 4096;
const PROGRESS_INTERVAL_MS = 100;

export interface ParallelRunner {
  run: KDistanceRunner;
  threads: number;
  close(): Promise<void>;
}

/** Starts `threads` workers (default: one per CPU core) and resolves once they are online. */
export async function createParallelRunner(options: { threads?: number } = {}): Promise<ParallelRunner> {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  // Under tsx the sources are .ts files; from the build they are .js.
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const script = new URL(`./k-distance-worker.${extension}`, import.meta.url);
  const workers = await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = startWorker(script, extension === "ts");
      return new Promise<Worker>((resolve, reject) => {
        worker.once("message", () => resolve(worker));
        worker.once("error", reject);
      });
    }),
  );

  const run: KDistanceRunner = (tree, k, bound2, out, onProgress) => {
    const parts = shareParts(tree);
    const shared = new Float64Array(new SharedArrayBuffer(out.byteLength));
    const control = new Int32Array(new SharedArrayBuffer(12));
    const task: KDistanceTask = { parts, k, bound2, out: shared, control, chunk: CHUNK_ROWS };
    for (const worker of workers) worker.postMessage(task);
    while (Atomics.load(control, 2) < workers.length) {
      Atomics.wait(control, 2, Atomics.load(control, 2), PROGRESS_INTERVAL_MS);
      onProgress(Atomics.load(control, 1));
    }
    out.set(shared);
  };

  return {
    run,
    threads,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * Starts the worker script. Run from the TypeScript sources (tests, benchmarks), the
 * worker first registers tsx's loader, which Node 20 workers do not inherit.
 */
function startWorker(script: URL, fromSources: boolean): Worker {
  if (!fromSources) return new Worker(script);
  const api = import.meta.resolve("tsx/esm/api");
  const bootstrap =
    `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(script.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** Copies the tree's arrays into shared memory, so every worker reads the same bytes. */
function shareParts(tree: KdTree): KdTreeParts {
  const parts = tree.parts();
  return {
    ...parts,
    periods: share(parts.periods),
    coords: share(parts.coords),
    ids: share(parts.ids),
    start: share(parts.start),
    end: share(parts.end),
    left: share(parts.left),
    right: share(parts.right),
    lo: share(parts.lo),
    hi: share(parts.hi),
    identical: share(parts.identical),
  };
}

type TypedArray = Float64Array | Uint32Array | Int32Array | Uint8Array;

function share<T extends TypedArray>(array: T): T {
  const Constructor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Constructor(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}
