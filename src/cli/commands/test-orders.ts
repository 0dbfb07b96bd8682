/** `sigh test-orders`: score and explain a handful of named example orders. */

import { parseCommandLine, stringOption } from "../args.js";
import type { CliIo, Command } from "../command.js";
import { generateOrders } from "../data.js";
import { AnomalyModel, ORDER_FEATURE_NAMES, OrderAnomalyModel, SighError } from "../engine.js";
import { EXAMPLE_ORDERS } from "../example-orders.js";
import { fitWithProgress, toMatrix } from "../fit.js";
import { loadModel } from "../model-file.js";
import { resolvePath } from "../output.js";
import { renderExplanation } from "../render/explanation.js";
import { plural, wrapText } from "../render/format.js";

/** Rows and seed of the training data when no model is given, as in `sigh demo`. */
const DEFAULT_ROWS = 1000;
const DEFAULT_SEED = 42;

const usage = `Usage: sigh test-orders [--model FILE]

Scores named example orders (a regular lunch, a family dinner, a late-night mega order,
a rapid repeat, a cost spike, a 4 AM snack, the production example) and explains each.

Options:
  --model FILE   model to score with; it must use the six order features (default:
                 train on ${DEFAULT_ROWS} generated orders, seed ${DEFAULT_SEED}, as "sigh demo" does)
`;

export const command: Command = {
  name: "test-orders",
  summary: "score and explain a few named example orders",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine("test-orders", args, { model: { type: "string" } }, 0);
  const modelPath = stringOption(values, "model");
  const model = modelPath === undefined
    ? await trainDefault(io)
    : await loadModel(resolvePath(io.cwd, modelPath));
  const missing = ORDER_FEATURE_NAMES.filter((name) => !model.featureNames.includes(name));
  if (missing.length > 0) {
    throw new SighError(
      "MODEL_MISMATCH",
      `test-orders scores Bob's Burgers orders, but ${modelPath} was trained on ` +
        `${model.featureNames.join(", ")}; it lacks ${missing.join(", ")}`,
    );
  }
  const source = modelPath ?? `${plural(DEFAULT_ROWS, "generated order")} (seed ${DEFAULT_SEED})`;

  const blocks = EXAMPLE_ORDERS.map((example, i) => {
    const result = model.score({ ...example.order });
    const heading = `${i + 1}. ${capitalize(example.name)}: ${example.description}`;
    return `${wrapText(heading, 88, "   ")}\n` +
      renderExplanation(result, model);
  });
  const flagged = EXAMPLE_ORDERS.filter((e) => model.score({ ...e.order }).isAnomaly).length;
  io.stdout.write(`Example orders scored with a model trained on ${source}\n\n`);
  io.stdout.write(blocks.join("\n\n") + "\n\n");
  io.stdout.write(`${flagged} of ${EXAMPLE_ORDERS.length} example orders flagged as anomalies\n`);
  return 0;
}

async function trainDefault(io: CliIo): Promise<AnomalyModel> {
  const orders = generateOrders({ rows: DEFAULT_ROWS, seed: DEFAULT_SEED });
  const matrix = toMatrix(orders, ORDER_FEATURE_NAMES);
  return fitWithProgress(new OrderAnomalyModel(), matrix, orders.length, io);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
