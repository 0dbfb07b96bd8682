/** `sigh score`: score a CSV file, stdin or one JSON order with a saved model. */

import {
  choiceOption,
  helpHint,
  missingArgument,
  parseCommandLine,
  stringOption,
} from "../args.js";
import type { CliIo, Command } from "../command.js";
import { UsageError } from "../engine.js";
import { loadCsv } from "../input.js";
import { loadModel } from "../model-file.js";
import { parseOrderJson } from "../order-json.js";
import { resolvePath } from "../output.js";
import { SCORE_FORMATS, writeScores, type ScoreFormat } from "../score-output.js";

const usage = `Usage: sigh score --model FILE [DATA.csv | - | --order JSON] [options]

Scores rows with a saved model, without refitting. Reads DATA.csv, stdin ("-"), or one
order given as a JSON object with --order.

Options:
  --model FILE          model saved by "sigh train" (required)
  --order JSON          score one object, e.g. '{"items_per_order":35,"total_cost":380,...}'
                        with a number for every model feature
  --format F            table (default): a human table with the explanation of anomalies
                        json: what the library's score() returns, an array for CSV input
                          and one object for --order
                        ndjson: one score() object per line
                        csv: one line per input row, in input order: [id,] isAnomaly,
                          cluster, clusterName, score, distance, topFeature, topLevel,
                          topDiffPct (the top* columns are filled for anomalies)
  --id-field NAME       column to print as the row id (default: order_id when present)
  --skip-invalid        skip rows with a missing or invalid value and report how many
                        were skipped on stderr (default: stop at the first one)

stdout holds only the results for json, ndjson and csv; progress goes to stderr.
`;

export const command: Command = {
  name: "score",
  summary: "score rows or one order with a saved model and explain anomalies",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("score", args, {
    model: { type: "string" },
    order: { type: "string" },
    format: { type: "string" },
    "id-field": { type: "string" },
    "skip-invalid": { type: "boolean" },
  }, 1);
  const modelPath = stringOption(values, "model");
  if (modelPath === undefined) throw missingArgument("score", "option --model FILE");
  const format: ScoreFormat = choiceOption(
    "format",
    stringOption(values, "format") ?? "table",
    SCORE_FORMATS,
  );
  const order = stringOption(values, "order");
  const dataPath = positionals[0];
  if (order !== undefined && dataPath !== undefined) {
    throw new UsageError(`give either DATA.csv or --order, not both ${helpHint("score")}`);
  }
  if (order === undefined && dataPath === undefined) {
    throw missingArgument("score", 'input: give DATA.csv, "-" for stdin, or --order JSON');
  }

  const model = await loadModel(resolvePath(io.cwd, modelPath));
  if (order !== undefined) {
    const record = parseOrderJson(order, model.featureNames);
    const values = Float64Array.from(model.featureNames, (name) => record[name] as number);
    await writeScores(format, model, { values, rows: 1, single: true }, io);
    return 0;
  }

  const data = await loadCsv({
    path: dataPath,
    features: model.featureNames,
    periods: model.periods,
    idField: stringOption(values, "id-field") ?? "auto",
    skipInvalid: values["skip-invalid"] === true,
  }, io);
  await writeScores(format, model, { ...data, single: false }, io);
  return 0;
}
