/** Formatting helpers of the CLI reports, the CSV cell quoting and the flag metrics. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { flagQuality } from "../src/engine/index.js";
import { formatDifference, formatScore } from "../src/cli/render/explanation.js";
import {
  formatDiffPct,
  formatNumber,
  formatValue,
  plural,
  wrapText,
} from "../src/cli/render/format.js";
import { displayWidth, renderTable } from "../src/cli/render/table.js";
import { csvCell } from "../src/cli/score-output.js";

test("numbers round by size", () => {
  assert.equal(formatNumber(1234.56), "1,235");
  assert.equal(formatNumber(123.456), "123.5");
  assert.equal(formatNumber(12.3456), "12.35");
  assert.equal(formatNumber(0.12345), "0.123");
});

test("values carry their unit", () => {
  assert.equal(formatValue(380, { name: "total_cost", unit: "$" }), "$380.00");
  assert.equal(formatValue(-3.5, { name: "delta", unit: "$" }), "-$3.50");
  assert.equal(formatValue(35, { name: "items_per_order", unit: "items" }), "35 items");
  assert.equal(formatValue(1, { name: "items_per_order", unit: "items" }), "1 item");
  assert.equal(formatValue(1, { name: "f", unit: "orders/day" }), "1 orders/day");
  assert.equal(formatValue(2.5, { name: "f" }), "2.5");
});

test("percent differences are signed", () => {
  assert.equal(formatDiffPct(988.4), "+988%");
  assert.equal(formatDiffPct(-4.25), "-4.3%");
  assert.equal(formatDiffPct(-0.01), "0%");
  assert.equal(formatDiffPct(null), "n/a");
});

test("cyclic difference goes the short way", () => {
  const spec = { name: "order_time", unit: "h", period: 24 };
  const deviation = {
    feature: "order_time", value: 23.5, normal: 0.5, diffPct: null,
    z: -1, level: "NORMAL" as const, share: 0,
  };
  assert.equal(formatDifference(deviation, spec), "-1 h");
  assert.equal(formatDifference({ ...deviation, value: 1.5 }, spec), "+1 h");
  assert.equal(formatDifference(deviation, { name: "order_time" }), "n/a");
});

test("score never prints equal to the threshold", () => {
  assert.equal(formatScore(7.113, 1), "7.11");
  assert.equal(formatScore(1.0012, 1), "1.001");
  assert.equal(formatScore(0.99999, 1), "1.0000");
  assert.equal(formatScore(1, 1), "1.00");
});

test("plural picks the noun form", () => {
  assert.equal(plural(1, "row"), "1 row");
  assert.equal(plural(1000, "anomaly", "anomalies"), "1,000 anomalies");
});

test("wrapText breaks at spaces", () => {
  assert.equal(wrapText("aaa bbb ccc", 7, "  "), "aaa bbb\n  ccc");
  assert.equal(wrapText("short", 80), "short");
});

test("emoji take two columns", () => {
  assert.equal(displayWidth("🔴 EXTREME"), 10);
  const table = renderTable([{ header: "Level" }, { header: "n", align: "right" }], [
    ["🔴 EXTREME", "1"],
    ["NORMAL", "22"],
  ]).split("\n");
  assert.equal(displayWidth(table[2]), displayWidth(table[3]));
});

test("csv cells are quoted when needed", () => {
  assert.equal(csvCell("Typical"), "Typical");
  assert.equal(csvCell("Big orders, high spend"), '"Big orders, high spend"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
});

test("flag quality counts hits and misses", () => {
  const quality = flagQuality([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]);
  assert.equal(quality.truePositives, 2);
  assert.equal(quality.falsePositives, 1);
  assert.equal(quality.falseNegatives, 1);
  assert.equal(quality.precision, 2 / 3);
  assert.equal(quality.recall, 2 / 3);
  assert.ok(Math.abs(quality.f1 - 2 / 3) < 1e-12, `f1 ${quality.f1}`);
});

test("flag quality without flags is undefined", () => {
  const quality = flagQuality([0, 0], [1, 0]);
  assert.ok(Number.isNaN(quality.precision));
  assert.equal(quality.recall, 0);
  assert.ok(Number.isNaN(quality.f1));
});

test("table escapes control and bidi characters", () => {
  const table = renderTable([{ header: "id" }], [["\u001b[2J"], ["ORD_\u202eevil"], ["a\nb"]]);
  assert.ok(!table.includes("\u001b"), "no raw ESC");
  assert.ok(!table.includes("\u202e"), "no raw right-to-left override");
  assert.ok(table.includes("\\x1b[2J"));
  assert.ok(table.includes("ORD_\\u202eevil"));
  assert.ok(table.includes("a\\nb"));
});
