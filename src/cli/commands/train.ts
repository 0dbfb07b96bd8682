/** `sigh train`: fit a model on a CSV file and save it. */

import { missingArgument, parseCommandLine, stringOption } from "../args.js";
import type { CliIo, Command } from "../command.js";
import { AnomalyModel, InputError } from "../engine.js";
import { loadCsv } from "../input.js";
import {
  MODEL_OPTIONS_HELP,
  MODEL_OPTION_SPECS,
  featureNamesOf,
  parseModelOptions,
} from "../model-options.js";
import { saveModel } from "../model-file.js";
import { resolvePath, writeFileCreatingFolders } from "../output.js";
import { fitWithProgress } from "../fit.js";
import { renderClusters, renderTrainingSummary } from "../render/clusters.js";

const usage = `Usage: sigh train DATA.csv --model FILE [options]

Fits a model on the rows of DATA.csv ("-" reads stdin) and saves it to FILE. Prints a
training summary: rows, clusters with sizes and names, noise, eps and fit time.

Options:
  --model FILE          where to save the model (required)
${MODEL_OPTIONS_HELP}
  --features a,b,c      feature columns in model order; NAME:PERIOD makes a cyclic
                        feature, such as order_time:24 (default: the six order
                        features items_per_order ... prep_time_estimate, with
                        order_time cyclic over 24 hours)
  --scale standard|none standard: subtract the mean and divide by the standard
                        deviation of each feature (default); none: use raw values
  --labels-out FILE     write "label,is_core" per loaded row, in input order
                        (label -1 is noise, is_core 0 or 1)
  --skip-invalid        skip rows with a missing or invalid value and report how many
                        were skipped on stderr (default: stop at the first one)
`;

export const command: Command = {
  name: "train",
  summary: "fit a model on a CSV file and save it",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("train", args, {
    ...MODEL_OPTION_SPECS,
    model: { type: "string" },
    "labels-out": { type: "string" },
    "skip-invalid": { type: "boolean" },
  }, 1);
  const dataPath = positionals[0];
  if (dataPath === undefined) throw missingArgument("train", "argument DATA.csv");
  const modelPath = stringOption(values, "model");
  if (modelPath === undefined) throw missingArgument("train", "option --model FILE");
  const modelOptions = parseModelOptions(values);
  const labelsOut = stringOption(values, "labels-out");

  const data = await loadCsv({
    path: dataPath,
    features: featureNamesOf(modelOptions),
    periods: new AnomalyModel(modelOptions).periods,
    skipInvalid: values["skip-invalid"] === true,
  }, io);
  if (data.rows === 0) throw new InputError(`${data.name}: no data rows to train on`);

  const model = await fitWithProgress(new AnomalyModel(modelOptions), data.values, data.rows, io);
  await saveModel(resolvePath(io.cwd, modelPath), model);
  if (labelsOut !== undefined) {
    await writeFileCreatingFolders(resolvePath(io.cwd, labelsOut), labelsCsv(model));
  }

  io.stdout.write(`Trained on ${data.name}\n\n${renderTrainingSummary(model)}\n\n`);
  io.stdout.write(`${renderClusters(model)}\n\n`);
  io.stdout.write(`Model saved to ${modelPath} (id ${model.modelId})\n`);
  if (labelsOut !== undefined) io.stdout.write(`Labels written to ${labelsOut}\n`);
  return 0;
}

/**
 * Formats the training labels as CSV: a `label,is_core` header, then one line per
 * training row with the DBSCAN label (-1 for noise) and 1 for a core sample, else 0.
 */
export function labelsCsv(model: AnomalyModel): string {
  const lines = ["label,is_core"];
  for (let i = 0; i < model.labels.length; i++) {
    lines.push(`${model.labels[i]},${model.isCore[i]}`);
  }
  return lines.join("\n") + "\n";
}
