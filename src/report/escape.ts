/** Escaping of data put into the HTML page, so no CSV value can end a tag or a script. */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML element body or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]);
}

/**
 * Serialises a value as JSON that is safe inside `<script type="application/json">`:
 * `<`, `>` and `&` become \u escapes, so "</script>" or "<!--" cannot appear, and the
 * line separators U+2028 and U+2029 are escaped too. `JSON.parse` returns the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/**
 * Returns `text` with control characters written as `\x1b`-style escapes: XML, and so
 * SVG, cannot contain them, and a label should show them rather than act on them.
 */
export function visibleText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (char) =>
    `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
