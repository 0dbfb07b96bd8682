/** `sigh review`: list, show and resolve the flagged events that `sigh serve` stored. */

import { existsSync } from "node:fs";
import { UsageError, quote } from "../../engine/errors.js";
import {
  ReviewStore,
  STATUS_FILTERS,
  VERDICTS,
  defaultReviewDbPath,
  type ReviewItem,
} from "../../serve/review-store.js";
import {
  choiceOption,
  missingArgument,
  numberOption,
  parseCommandLine,
  stringOption,
  type ParsedOptions,
} from "../args.js";
import type { CliIo, Command } from "../command.js";
import { resolvePath } from "../output.js";
import { printable } from "../render/table.js";

const usage = `Usage: sigh review list [--status open|resolved|all] [--limit N] [--format table|json]
       sigh review show ID [--format table|json]
       sigh review resolve ID --verdict true-positive|false-positive [--note TEXT]

Works on the review database of "sigh serve", which may be running at the same time.
Name it with --db FILE, or with --model FILE for the default FILE.review.db.

Options:
  --db FILE           review database
  --model FILE        model file whose default review database to use
  --status S          list: open (default), resolved or all
  --limit N           list: most items to show, newest first (default 100)
  --format F          table (default) or json
  --verdict V         resolve: true-positive (a real problem) or false-positive
  --note TEXT         resolve: a note stored with the verdict
`;

export const command: Command = {
  name: "review",
  summary: "list, show and resolve flagged events stored by sigh serve",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("review", args, {
    db: { type: "string" },
    model: { type: "string" },
    status: { type: "string" },
    limit: { type: "string" },
    format: { type: "string" },
    verdict: { type: "string" },
    note: { type: "string" },
  }, 2);
  const [action, id] = positionals;
  if (action === undefined) throw missingArgument("review", "action (list, show or resolve)");
  const format = choiceOption("format", stringOption(values, "format") ?? "table", ["table", "json"]);
  const store = openStore(values, io);
  try {
    switch (action) {
      case "list":
        return list(store, values, format, io);
      case "show":
        return show(store, requireId(id, "show"), format, io);
      case "resolve":
        return resolve(store, requireId(id, "resolve"), values, format, io);
      default:
        throw new UsageError(
          `sigh review: unknown action ${quote(action)} (expected list, show or resolve)`,
        );
    }
  } finally {
    store.close();
  }
}

function openStore(values: ParsedOptions, io: CliIo): ReviewStore {
  const db = stringOption(values, "db");
  const model = stringOption(values, "model");
  if (db !== undefined && model !== undefined) {
    throw new UsageError("sigh review: give --db or --model, not both");
  }
  if (db === undefined && model === undefined) {
    throw missingArgument("review", "option --db FILE or --model FILE");
  }
  const path = db !== undefined
    ? resolvePath(io.cwd, db)
    : defaultReviewDbPath(resolvePath(io.cwd, model!));
  if (!existsSync(path)) {
    throw new Error(`review database ${path} not found (sigh serve creates it; check --db or --model)`);
  }
  return new ReviewStore(path);
}

function requireId(id: string | undefined, action: string): string {
  if (id === undefined) throw missingArgument("review", `review id (sigh review ${action} ID)`);
  return id;
}

function list(store: ReviewStore, values: ParsedOptions, format: string, io: CliIo): number {
  const status = choiceOption("status", stringOption(values, "status") ?? "open", STATUS_FILTERS);
  const rawLimit = stringOption(values, "limit");
  const limit = rawLimit === undefined ? 100 : numberOption("limit", rawLimit, { integer: true, min: 1 });
  const items = store.list(status, limit);
  if (format === "json") {
    io.stdout.write(JSON.stringify(items) + "\n");
  } else {
    io.stdout.write(renderTable(items) + "\n");
  }
  return 0;
}

function show(store: ReviewStore, id: string, format: string, io: CliIo): number {
  const item = store.get(id);
  if (!item) throw new Error(`no review item has the id ${quote(id)} in ${store.path}`);
  io.stdout.write((format === "json" ? JSON.stringify(item) : renderItem(item)) + "\n");
  return 0;
}

function resolve(
  store: ReviewStore,
  id: string,
  values: ParsedOptions,
  format: string,
  io: CliIo,
): number {
  const rawVerdict = stringOption(values, "verdict");
  if (rawVerdict === undefined) {
    throw missingArgument("review", "option --verdict true-positive|false-positive");
  }
  const verdict = choiceOption("verdict", rawVerdict, VERDICTS);
  const item = store.resolve(id, verdict, stringOption(values, "note") ?? null);
  if (!item) throw new Error(`no review item has the id ${quote(id)} in ${store.path}`);
  io.stdout.write(
    format === "json" ? JSON.stringify(item) + "\n" : `${id}: resolved as ${verdict}\n`,
  );
  return 0;
}

/** Renders one line per item: id, time, action, score, nearest cluster, status, verdict. */
export function renderTable(items: readonly ReviewItem[]): string {
  const header = ["ID", "FLAGGED AT", "ACTION", "SCORE", "NEAREST CLUSTER", "STATUS", "VERDICT"];
  const rows = items.map((item) => [
    printable(item.id),
    item.createdAt,
    item.action,
    item.score.toFixed(3),
    printable(item.nearestClusterName),
    item.status,
    item.verdict ?? "-",
  ]);
  if (rows.length === 0) return "(no items)";
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [format(header), ...rows.map(format)].join("\n");
}

/** Renders a flagged event with its explanation, one feature per line. */
export function renderItem(item: ReviewItem): string {
  const lines = [
    `Review item ${printable(item.id)}`,
    `  flagged at   ${item.createdAt} by model ${item.modelId} (version ${item.modelVersion})`,
    `  action       ${item.action} (score ${item.score.toFixed(3)})`,
    `  nearest      ${printable(item.nearestClusterName)} (cluster ${item.nearestCluster})`,
    `  status       ${item.status}${item.verdict ? `: ${item.verdict}` : ""}`,
  ];
  if (item.note) lines.push(`  note         ${printable(item.note)}`);
  lines.push("", "  feature                      value      normal    diff %      z  level");
  for (const d of item.deviations as DeviationRow[]) {
    const diff = d.diffPct === null ? "n/a" : d.diffPct.toFixed(1);
    lines.push(
      `  ${d.feature.padEnd(24)} ${fmt(d.value, 10)} ${fmt(d.normal, 11)} ${diff.padStart(9)}` +
        ` ${d.z.toFixed(2).padStart(6)}  ${d.level}`,
    );
  }
  return lines.join("\n");
}

interface DeviationRow {
  feature: string;
  value: number;
  normal: number;
  diffPct: number | null;
  z: number;
  level: string;
}

function fmt(value: number, width: number): string {
  return Number(value.toPrecision(6)).toString().padStart(width);
}
