/** Drawing the analysis figure through the report module, for `sigh demo`. */

import type { CliIo } from "./command.js";
import type { AnomalyModel } from "./engine.js";

export interface FigureOutcome {
  /** Paths written: the PNG and the SVG, or none when drawing failed. */
  files: string[];
  failed: boolean;
}

/**
 * Writes `anomaly_analysis.png` and `.svg` into `outDir` with the report module's
 * `drawFigure`. The module (and the charting libraries behind it) is loaded only here,
 * so other commands start fast. A failure is printed on stderr and returned, so the
 * demo can still list the files it did write.
 */
export async function drawDemoFigure(
  model: AnomalyModel,
  values: Float64Array,
  ids: readonly string[],
  outDir: string,
  io: CliIo,
): Promise<FigureOutcome> {
  try {
    const { drawFigure } = await import("../report/figure.js");
    const rows = ids.length;
    const files = await drawFigure({
      model, values, rows, features: model.featureNames, ids, outDir,
    });
    return { files: [files.png, files.svg], failed: false };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`sigh: the analysis figure was not drawn: ${message}\n`);
    if (io.verbose && error instanceof Error && error.stack) io.stderr.write(error.stack + "\n");
    return { files: [], failed: true };
  }
}
