/** Reading numbers the way a person writes them in a CSV cell. */

/**
 * Parses a decimal number such as `12`, `-3.5`, `+0.25`, `.5`, `1e3` or ` 7 `
 * (spaces and tabs around it are allowed). Returns NaN for anything else: an empty or
 * blank cell, `NaN`, `Infinity`, hex/octal/binary literals, `1_000`, `12abc`, and values
 * that overflow to infinity such as `1e400`.
 *
 * `Number()` does the arithmetic, so results round exactly as JavaScript does; the
 * character check before it rejects the non-decimal forms that `Number()` accepts.
 */
export function parseFiniteNumber(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      continue;
    }
    // . + - e E space tab
    if (c === 46 || c === 43 || c === 45 || c === 101 || c === 69 || c === 32 || c === 9) {
      continue;
    }
    return NaN;
  }
  if (digits === 0) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/** True for a cell that is empty or holds only spaces and tabs: a missing value. */
export function isBlankCell(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
