import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { writeReport } from "../src/report/html.js";
import { fittedOrders, tempDir } from "./report-helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const ATTACK = "</script><script>alert(1)</script>";
const PANELS = ["cost", "timing", "frequency", "distribution", "pca", "heatmap", "kdistance"];

test("report.html renders offline in Chromium", { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install the Debian package chromium`);
  const fitted = await fittedOrders();
  const scores = fitted.model.scoreMatrix(fitted.values, fitted.rows);
  const ids = fitted.ids!.slice();
  ids[scores.isAnomaly.indexOf(1)] = ATTACK;
  const outDir = tempDir("browser");
  const files = await writeReport({ ...fitted, ids, outDir });
  const pageUrl = pathToFileURL(files.html).href;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 900 } });
    const blocked: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url === pageUrl) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await page.goto(pageUrl);
    await page.waitForSelector("body[data-rendered]", { timeout: 60_000 });
    assert.equal(await page.getAttribute("body", "data-rendered"), "true", errors.join("\n"));

    for (const key of PANELS) {
      const marks = await page.locator(`#chart-${key} svg g[class*="role-mark"] > path`).count();
      assert.ok(marks > 0, `panel ${key} drew no marks`);
    }
    const rows = await page.locator("#flagged tbody tr").count();
    assert.equal(rows, scores.isAnomaly.reduce((a, b) => a + b, 0));
    const hostileCells = page.locator("#flagged tbody td", { hasText: "alert(1)" });
    assert.equal(await hostileCells.count(), 1, "the hostile id is not shown once in the table");
    assert.equal(await hostileCells.first().textContent(), ATTACK, "the id is not shown as text");

    // Hover the last point of the first scatter panel: anomalies are drawn last.
    const point = page.locator('#chart-cost svg g[class*="role-mark"] > path').last();
    await point.hover({ force: true });
    await page.waitForSelector("#tooltip:not([hidden])", { timeout: 5_000 });
    const tooltip = (await page.textContent("#tooltip")) ?? "";
    assert.ok(tooltip.includes("explanation"), `tooltip lacks the explanation: ${tooltip}`);
    assert.ok(tooltip.includes("score"), `tooltip lacks the score: ${tooltip}`);

    // A click on the first legend entry fades every other cluster.
    const opacities = () =>
      page.$$eval('#chart-cost svg g[class*="role-mark"] > path', (paths) =>
        paths.map((path) => path.getAttribute("opacity")));
    assert.ok((await opacities()).every((o) => o === "0.75"), "points start faded");
    await page.locator('#chart-cost svg g[class*="role-legend-symbol"] > path').first().click();
    const filtered = await opacities();
    assert.ok(filtered.includes("0.75"), "no cluster is shown after the legend click");
    assert.ok(filtered.includes("0.05"), "no cluster is faded after the legend click");

    const screenshot = join(outDir, "report-screenshot.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`report screenshot: ${screenshot}`);

    assert.deepEqual(errors, [], "the page logged errors");
    assert.deepEqual(dialogs, [], "a script from the data ran");
    assert.deepEqual(blocked, [], "the page requested other resources");
  } finally {
    await browser.close();
  }
});
