/** Fitting a model with a progress bar on stderr. */

import type { CliIo } from "./command.js";
import type { AnomalyModel } from "./engine.js";
import { ProgressBar } from "./progress.js";

/** Fits `model` on a row-major matrix and returns it; progress is drawn on stderr. */
export function fitWithProgress<M extends AnomalyModel>(
  model: M,
  values: Float64Array,
  rows: number,
  io: CliIo,
): M {
  const bar = new ProgressBar(io.stderr, { label: "fitting", tty: io.stderrIsTTY });
  model.fitMatrix(values, rows, {
    onProgress: (p) => bar.update(p.done, p.total, p.phase),
  });
  bar.finish();
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
