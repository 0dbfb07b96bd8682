/** Helpers for the CLI tests: run `sigh` in-process with captured streams. */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/program.js";

/** The shared fixtures folder, found from this file so tests run from any folder. */
export const FIXTURES = fileURLToPath(new URL("../../shared/fixtures/", import.meta.url));
export const ORIGINAL_ORDERS = join(FIXTURES, "original-orders", "bobs_burgers_orders.csv");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sigh ARGS` in-process in `cwd` with `stdin` as input. */
export async function runCli(
  args: string[],
  options: { cwd?: string; stdin?: string } = {},
): Promise<CliRun> {
  const stdout = collect();
  const stderr = collect();
  const code = await main(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    cwd: options.cwd ?? process.cwd(),
    stderrIsTTY: false,
    verbose: false,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** Makes a temporary folder and returns it with a function that removes it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "sigh-cli-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Splits CSV text into rows of cells; handles quoted cells with commas and quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i];
      if (quoted && char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') {
        quoted = !quoted;
      } else if (char === "," && !quoted) {
        cells.push(cell);
        cell = "";
      } else {
        cell += char;
      }
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

/** The production example as the JSON that `--order` takes. */
export const PRODUCTION_ORDER_JSON = JSON.stringify({
  items_per_order: 35,
  time_since_last_order: 15,
  order_time: 22.5,
  customer_frequency: 0.05,
  total_cost: 380,
  prep_time_estimate: 175,
});

export const ORDER_FEATURES_ARG =
  "items_per_order,time_since_last_order,order_time,customer_frequency,total_cost," +
  "prep_time_estimate";
