/** `sigh report`: draw the analysis figure and write the interactive HTML report. */

import { relative, isAbsolute } from "node:path";
import { integerOption, missingArgument, parseCommandLine, stringOption } from "../args.js";
import type { CliIo, Command } from "../command.js";
import { UsageError, quote } from "../engine.js";
import { loadCsv } from "../input.js";
import { loadModel } from "../model-file.js";
import { resolvePath } from "../output.js";

const DEFAULT_MAX_POINTS = 4000;
const DEFAULT_SEED = 1;

const usage = `Usage: sigh report DATA.csv --model FILE --out DIR [options]

Scores the rows of DATA.csv ("-" reads stdin) with a saved model and writes into DIR:
  anomaly_analysis.png   the six-panel analysis figure
  anomaly_analysis.svg   the same figure as SVG
  report.html            one self-contained page that works offline: the panels with
                         tooltips, zoom and a cluster filter, a k-distance plot with eps,
                         the flagged rows with their deviations, the model's parameters

Options:
  --model FILE          model saved by "sigh train" (required)
  --out DIR             folder to write into, created when missing (required)
  --features a,b,c      feature columns; must be the model's features in model order
                        (default: the model's features)
  --id-field NAME       column that names each row in tooltips and the table
                        (default: order_id when present, else the row number)
  --max-points N        most rows drawn per scatter panel; larger inputs are sampled
                        with a seed, keeping anomalies first (default ${DEFAULT_MAX_POINTS})
  --seed S              seed of that sample; the same data and seed give the same
                        files (default ${DEFAULT_SEED})
  --skip-invalid        skip rows with a missing or invalid value and report how many
                        were skipped on stderr (default: stop at the first one)
`;

export const command: Command = {
  name: "report",
  summary: "draw the analysis figure (PNG, SVG) and an offline interactive HTML report",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("report", args, {
    model: { type: "string" },
    out: { type: "string" },
    features: { type: "string" },
    "id-field": { type: "string" },
    "max-points": { type: "string" },
    seed: { type: "string" },
    "skip-invalid": { type: "boolean" },
  }, 1);
  const dataPath = positionals[0];
  if (dataPath === undefined) throw missingArgument("report", "argument DATA.csv");
  const modelPath = stringOption(values, "model");
  if (modelPath === undefined) throw missingArgument("report", "option --model FILE");
  const outOption = stringOption(values, "out");
  if (outOption === undefined) throw missingArgument("report", "option --out DIR");
  const maxPoints = integerOption(values["max-points"], "max-points", 100, DEFAULT_MAX_POINTS);
  const seed = integerOption(values.seed, "seed", 0, DEFAULT_SEED);

  const model = await loadModel(resolvePath(io.cwd, modelPath));
  const features = checkFeatures(stringOption(values, "features"), model.featureNames);
  const data = await loadCsv({
    path: dataPath,
    features,
    periods: model.periods,
    idField: stringOption(values, "id-field") ?? "auto",
    skipInvalid: values["skip-invalid"] === true,
  }, io);
  if (data.rows === 0) throw new UsageError(`${data.name}: no data rows to draw`);

  io.stderr.write(`sigh: drawing the report for ${data.rows} rows\n`);
  const { writeReport } = await import("../../report/html.js");
  const outDir = resolvePath(io.cwd, outOption);
  const files = await writeReport({
    model,
    values: data.values,
    rows: data.rows,
    features,
    ids: data.ids,
    outDir,
    seed,
    maxPoints,
    source: data.name,
  });
  for (const path of [files.png, files.svg, files.html]) {
    io.stdout.write(`${shownPath(path, io.cwd)}\n`);
  }
  return 0;
}


/** Returns the model's features, after checking that --features, when set, lists them. */
function checkFeatures(raw: string | undefined, modelFeatures: readonly string[]): string[] {
  if (raw === undefined) return [...modelFeatures];
  const listed = raw.split(",").map((name) => name.trim());
  if (listed.join(",") !== modelFeatures.join(",")) {
    throw new UsageError(
      `invalid value ${quote(raw)} for --features: the model was trained on ` +
        `${modelFeatures.join(",")} and needs those columns in that order`,
    );
  }
  return listed;
}

/** Returns the path relative to the working folder when it is inside it, else absolute. */
function shownPath(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : path;
}
