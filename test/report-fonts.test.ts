import assert from "node:assert/strict";
import { test } from "node:test";
import { Resvg } from "@resvg/resvg-js";
import { FONT_FAMILY, fontFiles } from "../src/report/fonts.js";
import { textWidthMeasurer } from "../src/report/text-metrics.js";

/** Renders one text line and returns the number of pixels that are not white. */
function inkedPixels(text: string, fontFamily: string): number {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">` +
    `<rect width="120" height="40" fill="white"/>` +
    `<text x="4" y="30" font-family="${fontFamily}" font-size="24" fill="black">${text}</text></svg>`;
  const files = fontFiles();
  const image = new Resvg(svg, {
    font: {
      fontFiles: [files.regular, files.bold, files.emoji],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
    },
  }).render();
  const pixels = image.pixels;
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 200) inked++;
  return inked;
}

test("fontFiles names a missing file", () => {
  assert.throws(
    () => fontFiles("/nonexistent/fonts"),
    (error: Error) =>
      error.message.includes("/nonexistent/fonts/DejaVuSans.ttf") &&
      error.message.includes("fonts-dejavu-core"),
  );
});

test("resvg draws the emoji of labels", () => {
  // The noise cluster's name ends in U+1F6A8; the text font has no glyph for it, so resvg
  // must fall back to the emoji font and draw something.
  const inked = inkedPixels("🚨", FONT_FAMILY);
  assert.ok(inked > 50, `only ${inked} dark pixels drawn for 🚨`);
});

test("text measurer widths", () => {
  const width = textWidthMeasurer(fontFiles());
  const m = width("M", 10, false);
  const i = width("i", 10, false);
  // DejaVu Sans: "M" is 1767 and "i" 569 font units of 2048.
  assert.ok(Math.abs(m - 10 * (1767 / 2048)) < 0.01, `width of M: ${m}`);
  assert.ok(Math.abs(i - 10 * (569 / 2048)) < 0.01, `width of i: ${i}`);
  assert.ok(width("M", 10, true) > m, "bold M is not wider than regular M");
  assert.ok(width("🚨", 10, false) > 5, `width of 🚨: ${width("🚨", 10, false)}`);
  assert.equal(width("", 10, false), 0);
});
