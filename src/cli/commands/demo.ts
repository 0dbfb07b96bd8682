/** `sigh demo`: generate orders, train, explain, score the production example, draw. */

import { stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { integerOption, parseCommandLine, stringOption } from "../args.js";
import type { CliIo, Command } from "../command.js";
import { generateOrders, ordersToCsv, type Order } from "../data.js";
import { ORDER_FEATURE_NAMES, OrderAnomalyModel, flagQuality, type ModelOptions } from "../engine.js";
import { PRODUCTION_EXAMPLE } from "../example-orders.js";
import { fitWithProgress, toMatrix } from "../fit.js";
import { saveModel } from "../model-file.js";
import { MODEL_OPTIONS_HELP, MODEL_OPTION_SPECS, parseModelOptions } from "../model-options.js";
import { resolvePath, writeFileCreatingFolders } from "../output.js";
import { renderClusters, renderTrainingSummary } from "../render/clusters.js";
import {
  renderFlagQuality,
  renderMeansTable,
  renderRecallByKind,
  renderTopAnomalies,
} from "../render/demo-report.js";
import { renderExplanation } from "../render/explanation.js";
import { formatCount, formatShare, plural, wrapText } from "../render/format.js";
import { renderTable } from "../render/table.js";
import { drawDemoFigure } from "../figure.js";

const DEFAULT_ROWS = 1000;
const DEFAULT_SEED = 42;
const TOP_ANOMALIES = 5;

const usage = `Usage: sigh demo [--rows N] [--seed S] [--out-dir DIR] [model options]

Generates Bob's Burgers orders with injected anomalies, trains a model on them and prints
an analysis: clusters, anomalies, normal vs anomalous means, the top anomalies, the
production example explained, and precision, recall and F1 against the injected labels.

Writes under DIR:
  data/bobs_burgers_orders.csv     the generated orders
  models/order_model.sigh          the trained model
  outputs/anomaly_analysis.png     the analysis figure (and .svg)

Options:
  --rows N          orders to generate (default ${DEFAULT_ROWS})
  --seed S          generator seed; the same seed gives the same orders (default ${DEFAULT_SEED})
  --out-dir DIR     folder to write into (default: the current folder)

Model options:
${MODEL_OPTIONS_HELP}
`;

export const command: Command = {
  name: "demo",
  summary: "generate orders, train, explain the anomalies and the production example",
  usage,
  run,
};

/** Paths of the demo's files, relative to the output folder. */
export const DEMO_FILES = {
  data: join("data", "bobs_burgers_orders.csv"),
  model: join("models", "order_model.sigh"),
  outputs: "outputs",
} as const;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine("demo", args, {
    rows: { type: "string" },
    seed: { type: "string" },
    "out-dir": { type: "string" },
    eps: MODEL_OPTION_SPECS.eps,
    "min-samples": MODEL_OPTION_SPECS["min-samples"],
    "min-cluster-share": MODEL_OPTION_SPECS["min-cluster-share"],
  }, 0);
  const rows = integerOption(values.rows, "rows", 1, DEFAULT_ROWS);
  const seed = integerOption(values.seed, "seed", 0, DEFAULT_SEED);
  const outDir = resolvePath(io.cwd, stringOption(values, "out-dir") ?? ".");
  const modelOptions: ModelOptions = parseModelOptions(values);

  const orders = generateOrders({ rows, seed });
  const dataPath = join(outDir, DEMO_FILES.data);
  await writeFileCreatingFolders(dataPath, ordersToCsv(orders));

  const matrix = toMatrix(orders, ORDER_FEATURE_NAMES);
  const model = await fitWithProgress(new OrderAnomalyModel(modelOptions), matrix, rows, io);
  const modelPath = join(outDir, DEMO_FILES.model);
  await saveModel(modelPath, model);

  const scores = model.scoreMatrix(matrix, rows);
  io.stdout.write(report(model, orders, matrix, scores, seed));

  const ids = orders.map((o) => o.order_id);
  const figure = await drawDemoFigure(model, matrix, ids, join(outDir, DEMO_FILES.outputs), io);
  const written = [dataPath, modelPath, ...figure.files];
  io.stdout.write(await renderFiles(written, io.cwd));
  return figure.failed ? 1 : 0;
}


/** Renders the text report, from the title to the comparison with the injected labels. */
function report(
  model: OrderAnomalyModel,
  orders: readonly Order[],
  matrix: Float64Array,
  scores: ReturnType<OrderAnomalyModel["scoreMatrix"]>,
  seed: number,
): string {
  const noise = model.summary.noise;
  const labels = orders.map((o) => {
    const truth = o.anomaly_kind ? `injected ${o.anomaly_kind}` : "not injected";
    return `${o.order_id} (${o.customer}; ${truth})`;
  });
  const truth = orders.map((o) => o.injected_anomaly);
  const kinds = orders.map((o) => o.anomaly_kind);
  const example = model.score({ ...PRODUCTION_EXAMPLE.order });
  const sections = [
    `🍔 Bob's Burgers: ${plural(orders.length, "generated order")} (seed ${seed})`,
    `Model\n${renderTrainingSummary(model)}`,
    `Clusters (dense groups of similar orders)\n${renderClusters(model)}`,
    `Anomalies: ${formatCount(noise)} of ${formatCount(orders.length)} orders ` +
      `(${formatShare(model.summary.noiseShare)}) are in no dense cluster.`,
    `Normal vs anomalous orders (mean per feature)\n${renderMeansTable(model, matrix)}`,
    `Top ${TOP_ANOMALIES} anomalies by score, with the features that deviate most\n` +
      renderTopAnomalies(model, matrix, scores, labels, TOP_ANOMALIES),
    `The production example\n  ${wrapText(PRODUCTION_EXAMPLE.description, 86, "  ")}\n` +
      renderExplanation(example, model),
    `Flags vs the generator's injected anomalies (injected_anomaly column)\n` +
      `${renderFlagQuality(flagQuality(scores.isAnomaly, truth))}\n\n` +
      renderRecallByKind(kinds, scores.isAnomaly),
  ];
  return sections.join("\n\n") + "\n\n";
}

/** "Files written": each path (relative to the working folder when inside it) and size. */
async function renderFiles(paths: readonly string[], cwd: string): Promise<string> {
  const rows = await Promise.all(
    paths.map(async (path) => {
      const size = (await stat(path)).size;
      const inside = relative(cwd, path);
      const isInside = inside !== "" && !inside.startsWith("..") && !isAbsolute(inside);
      return [isInside ? inside : path, formatBytes(size)];
    }),
  );
  const table = renderTable([{ header: "File" }, { header: "Size", align: "right" }], rows);
  return `Files written\n${table}\n`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
