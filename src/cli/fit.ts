/** Fitting a model with a progress bar on stderr. */

import { availableParallelism } from "node:os";
import { createParallelRunner } from "../train/parallel.js";
import type { CliIo } from "./command.js";
import type { AnomalyModel } from "./engine.js";
import { ProgressBar } from "./progress.js";

/** From this many rows on, the k-distance search runs on one worker thread per core. */
export const PARALLEL_MIN_ROWS = 50_000;

/**
 * Fits `model` on a row-major matrix and returns it; progress is drawn on stderr.
 * Large inputs spread the k-distance search over worker threads.
 */
export async function fitWithProgress<M extends AnomalyModel>(
  model: M,
  values: Float64Array,
  rows: number,
  io: CliIo,
): Promise<M> {
  const threads = availableParallelism();
  const runner =
    rows >= PARALLEL_MIN_ROWS && threads > 1 ? await createParallelRunner({ threads }) : undefined;
  const bar = new ProgressBar(io.stderr, { label: "fitting", tty: io.stderrIsTTY });
  try {
    model.fitMatrix(values, rows, {
      onProgress: (p) => bar.update(p.done, p.total, p.phase),
      kDistanceRunner: runner?.run,
    });
  } finally {
    bar.finish();
    await runner?.close();
  }
  return model;
}

/**
 * Copies the `features` of each row into one row-major matrix, in feature order. The
 * values must be numbers already, as in generated orders.
 */
export function toMatrix(rows: readonly object[], features: readonly string[]): Float64Array {
  const d = features.length;
  const values = new Float64Array(rows.length * d);
  rows.forEach((row, i) => {
    const record = row as Record<string, unknown>;
    features.forEach((name, k) => (values[i * d + k] = record[name] as number));
  });
  return values;
}
