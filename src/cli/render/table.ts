/** Plain-text tables with columns aligned for a terminal, emoji counted as two columns. */

export interface Column {
  header: string;
  /** "right" for numbers; default "left". */
  align?: "left" | "right";
}

/**
 * Renders `rows` under `columns` as lines of text (no trailing newline), with a rule
 * under the header and two spaces between columns. Each line starts with `indent`.
 */
export function renderTable(columns: Column[], rows: string[][], indent = "  "): string {
  rows = rows.map((row) => row.map(printable));
  const widths = columns.map((column, c) =>
    Math.max(displayWidth(column.header), ...rows.map((row) => displayWidth(row[c] ?? ""))),
  );
  const line = (cells: string[]) =>
    indent +
    columns
      .map((column, c) => pad(cells[c] ?? "", widths[c], column.align ?? "left"))
      .join("  ")
      .trimEnd();
  const rule = indent + widths.map((w) => "─".repeat(w)).join("  ");
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join("\n");
}

/**
 * Returns `text` with control characters written as escapes: a newline as `\n`, ESC as
 * `\x1b`, a right-to-left override as `\u202e`. Data from a file or a request then
 * cannot move the cursor, clear the screen, reorder text or break a row.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => {
    if (char === "\n") return "\\n";
    if (char === "\r") return "\\r";
    if (char === "\t") return "\\t";
    const code = char.charCodeAt(0);
    if (code > 0xff) return `\\u${code.toString(16).padStart(4, "0")}`;
    return `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

function pad(text: string, width: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(width - displayWidth(text), 0));
  return align === "right" ? fill + text : text + fill;
}

/**
 * Returns the number of terminal columns `text` takes: emoji and other astral-plane
 * characters count two, variation selectors and zero-width joiners count none.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0xfe0f || code === 0x200d || (code >= 0x300 && code < 0x370)) continue;
    width += code > 0xffff ? 2 : 1;
  }
  return width;
}
