/**
 * Text widths from the font files themselves. Without a canvas, Vega guesses a width of
 * 0.8 em per character, which is about a third too wide for DejaVu Sans and spreads
 * legends and truncates labels. This module reads each glyph's advance width from the
 * fonts' `cmap` and `hmtx` tables and gives Vega the sum (kerning is ignored).
 */

import { readFileSync } from "node:fs";
import * as vega from "vega";
import type { FontFiles } from "./fonts.js";

/** Advance widths of one font, in em. */
export interface FontMetrics {
  /** Advance of a code point in em, or undefined when the font has no glyph for it. */
  advance(codePoint: number): number | undefined;
}

/** Reads a TrueType or OpenType file's advance widths. Throws on a file without cmap. */
export function readFontMetrics(bytes: Uint8Array, name: string): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = tableOffsets(view);
  const need = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font ${name} has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(need("head") + 18);
  const metricCount = view.getUint16(need("hhea") + 34);
  const hmtx = need("hmtx");
  const glyphs = readCmap(view, need("cmap"), name);

  return {
    advance(codePoint) {
      const glyph = glyphs.get(codePoint);
      if (glyph === undefined) return undefined;
      const index = Math.min(glyph, metricCount - 1);
      return view.getUint16(hmtx + 4 * index) / unitsPerEm;
    },
  };
}

function tableOffsets(view: DataView): Map<string, number> {
  const tables = new Map<string, number>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(
      view.getUint8(record), view.getUint8(record + 1),
      view.getUint8(record + 2), view.getUint8(record + 3),
    );
    tables.set(tag, view.getUint32(record + 8));
  }
  return tables;
}

/** Maps code points to glyph ids from the Unicode subtable (format 12, else format 4). */
function readCmap(view: DataView, cmap: number, name: string): Map<number, number> {
  const count = view.getUint16(cmap + 2);
  const formats = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = view.getUint16(record);
    const subtable = cmap + view.getUint32(record + 4);
    if (platform === 0 || platform === 3) formats.set(view.getUint16(subtable), subtable);
  }
  const format12 = formats.get(12);
  if (format12 !== undefined) return readFormat12(view, format12);
  const format4 = formats.get(4);
  if (format4 !== undefined) return readFormat4(view, format4);
  throw new Error(`font ${name} has no Unicode cmap subtable of format 4 or 12`);
}

function readFormat12(view: DataView, table: number): Map<number, number> {
  const glyphs = new Map<number, number>();
  const groups = view.getUint32(table + 12);
  for (let g = 0; g < groups; g++) {
    const at = table + 16 + 12 * g;
    const start = view.getUint32(at);
    const end = view.getUint32(at + 4);
    const first = view.getUint32(at + 8);
    for (let c = start; c <= end; c++) glyphs.set(c, first + c - start);
  }
  return glyphs;
}

function readFormat4(view: DataView, table: number): Map<number, number> {
  const glyphs = new Map<number, number>();
  const segments = view.getUint16(table + 6) / 2;
  const ends = table + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const start = view.getUint16(starts + 2 * s);
    const end = view.getUint16(ends + 2 * s);
    const delta = view.getInt16(deltas + 2 * s);
    const rangeAt = rangeOffsets + 2 * s;
    const rangeOffset = view.getUint16(rangeAt);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) {
        glyph = (c + delta) & 0xffff;
      } else {
        const raw = view.getUint16(rangeAt + rangeOffset + 2 * (c - start));
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) glyphs.set(c, glyph);
    }
  }
  return glyphs;
}

/** Width in em of a character that no loaded font has. */
const MISSING_ADVANCE = 0.6;

/** Creates a text measurer over the regular, bold and emoji fonts, in resvg's fallback order. */
export function textWidthMeasurer(files: FontFiles) {
  const load = (path: string) => readFontMetrics(readFileSync(path), path);
  const regular = load(files.regular);
  const bold = load(files.bold);
  const emoji = load(files.emoji);

  return (text: string, fontSize: number, isBold: boolean): number => {
    const main = isBold ? bold : regular;
    let em = 0;
    for (const char of text) {
      const code = char.codePointAt(0) as number;
      if (code === 0xfe0f || code === 0x200d) continue;
      em += main.advance(code) ?? emoji.advance(code) ?? MISSING_ADVANCE;
    }
    return em * fontSize;
  };
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/** Vega's text measurer; vega-scenegraph exports it, but vega's typings leave it out. */
const textMetrics = (vega as unknown as {
  textMetrics: { width: (item: TextItem, text?: unknown) => number };
}).textMetrics;

let installedFor: string | undefined;

/**
 * Makes Vega measure text with these fonts. Vega's measurer is global to the process, so
 * this replaces it for every view in it. A label longer than its `limit` measures as
 * `limit`, which is what Vega's truncation with an ellipsis expects of a measurer.
 */
export function useFontMetrics(files: FontFiles): void {
  const key = `${files.regular}|${files.bold}|${files.emoji}`;
  if (installedFor === key) return;
  const measure = textWidthMeasurer(files);
  textMetrics.width = (item: TextItem, text?: unknown) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const line = text == null ? "" : String(text).trim();
    const weight = item.fontWeight;
    const isBold = weight === "bold" || (typeof weight === "number" && weight >= 600);
    const width = measure(line, size, isBold);
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  installedFor = key;
}
