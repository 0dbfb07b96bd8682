/** `sigh generate`: write synthetic Bob's Burgers orders with injected anomalies as CSV. */

import { numberOption, parseCommandLine, stringOption } from "../args.js";
import type { CliIo, Command } from "../command.js";
import { generateOrders, ordersToCsv } from "../data.js";
import { resolvePath, write, writeFileCreatingFolders } from "../output.js";
import { plural } from "../render/format.js";

const usage = `Usage: sigh generate [--rows N] [--seed S] [--out FILE]

Generates synthetic Bob's Burgers orders, some of them injected anomalies (columns
injected_anomaly and anomaly_kind), and writes them as CSV.

Options:
  --rows N      orders to generate (default 1000)
  --seed S      generator seed; the same seed gives byte-identical output (default 42)
  --out FILE    file to write; "-" or no --out writes to stdout
`;

export const command: Command = {
  name: "generate",
  summary: "write synthetic orders with injected anomalies as CSV",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine("generate", args, {
    rows: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
  }, 0);
  const rowsRaw = stringOption(values, "rows");
  const seedRaw = stringOption(values, "seed");
  const rows = rowsRaw === undefined
    ? 1000
    : numberOption("rows", rowsRaw, { integer: true, min: 1 });
  const seed = seedRaw === undefined
    ? 42
    : numberOption("seed", seedRaw, { integer: true, min: 0 });
  const out = stringOption(values, "out");

  const orders = generateOrders({ rows, seed });
  const csv = ordersToCsv(orders);
  if (out === undefined || out === "-") {
    await write(io.stdout, csv);
    return 0;
  }
  await writeFileCreatingFolders(resolvePath(io.cwd, out), csv);
  const injected = orders.filter((o) => o.injected_anomaly === 1).length;
  const anomalies = plural(injected, "injected anomaly", "injected anomalies");
  io.stderr.write(`wrote ${plural(rows, "order")} (${anomalies}) to ${out}\n`);
  return 0;
}
