import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { writeReport } from "../src/report/html.js";
import { fittedMammography, fittedOrders, tempDir } from "./report-helpers.js";

const ATTACK = "</script><script>alert(1)</script>";

/** Parses the page's JSON payload as the page's own script does. */
function payloadOf(html: string): { panels: { key: string }[]; points: { id: string }[] } {
  const match = /<script type="application\/json" id="sigh-data">([^<]*)<\/script>/.exec(html);
  assert.ok(match, "the page has no JSON data block");
  return JSON.parse(match[1]);
}

test("writeReport escapes hostile ids", async () => {
  const fitted = await fittedOrders();
  const scores = fitted.model.scoreMatrix(fitted.values, fitted.rows);
  const flagged = scores.isAnomaly.indexOf(1);
  assert.ok(flagged >= 0, "no flagged order to attack through");
  const ids = fitted.ids!.slice();
  ids[flagged] = ATTACK;

  const files = await writeReport({ ...fitted, ids, outDir: tempDir("html-escape") });
  const html = readFileSync(files.html, "utf8");
  assert.equal(html.includes(ATTACK), false, "the raw id reached the page");
  assert.equal(html.includes("alert(1)</script>"), false, "a script end tag from data is in the page");
  assert.ok(
    html.includes("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
    "the escaped id is missing from the table",
  );
  const payload = payloadOf(html);
  assert.ok(payload.points.some((p) => p.id === ATTACK), "the id did not round-trip through JSON");
});

test("writeReport table one row per flagged", async () => {
  const fitted = await fittedMammography();
  const files = await writeReport({ ...fitted, outDir: tempDir("html-table") });
  const html = readFileSync(files.html, "utf8");
  const flagged = fitted.model.scoreMatrix(fitted.values, fitted.rows).isAnomaly.reduce((a, b) => a + b, 0);
  const table = /<table id="flagged">[\s\S]*?<\/table>/.exec(html);
  assert.ok(table, "no flagged table");
  const bodyRows = table[0].split("<tbody>")[1].match(/<tr>/g) ?? [];
  assert.equal(bodyRows.length, flagged);
  assert.ok(html.includes(`Flagged rows (${flagged})`), "heading lacks the flagged count");

  const keys = payloadOf(html).panels.map((p) => p.key);
  assert.deepEqual(keys, ["pair1", "pair2", "pair3", "distribution", "pca", "heatmap", "kdistance"]);
});

test("writeReport page is self-contained", async () => {
  const fitted = await fittedOrders();
  const files = await writeReport({ ...fitted, outDir: tempDir("html-offline") });
  const html = readFileSync(files.html, "utf8");
  assert.ok(html.includes("Content-Security-Policy"), "no Content-Security-Policy");
  assert.ok(html.includes("default-src 'none'"), "the policy allows network requests");
  assert.equal(/<script[^>]+src=/i.test(html), false, "a script is loaded from elsewhere");
  assert.equal(/<link[^>]+href=/i.test(html), false, "a style sheet or link is loaded");
  assert.equal(/<img[^>]+src=/i.test(html), false, "an image is loaded");
  assert.ok(html.includes("eps 0.8, minSamples 10"), "model parameters missing from the header");
  assert.ok(html.includes("k-distance plot (k = minSamples = 10)"), "k-distance panel missing");
});

test("writeReport same input same bytes", async () => {
  const fitted = await fittedOrders();
  const first = await writeReport({ ...fitted, outDir: tempDir("html-a") });
  const second = await writeReport({ ...fitted, outDir: tempDir("html-b") });
  assert.ok(readFileSync(first.html).equals(readFileSync(second.html)), "report.html differs");
  assert.ok(readFileSync(first.png).equals(readFileSync(second.png)), "PNG differs");
  assert.ok(readFileSync(first.svg).equals(readFileSync(second.svg)), "SVG differs");
});
