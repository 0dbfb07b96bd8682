/** Number and text formatting shared by the human-readable CLI reports. */

import type { DeviationLevel, FeatureSpec } from "../engine.js";

/** Formats a number with a precision that suits its size: 1,234 / 123.4 / 12.34 / 0.123. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  let digits = 3;
  if (size >= 1000) digits = 0;
  else if (size >= 100) digits = 1;
  else if (size >= 1) digits = 2;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  });
}

/** Formats a value with its feature's unit: "$380.00", "35 items", "15 min". */
export function formatValue(value: number, spec?: FeatureSpec): string {
  const unit = spec?.unit;
  if (unit === "$") {
    const money = Math.abs(value).toLocaleString("en-US", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    return `${value < 0 ? "-" : ""}$${money}`;
  }
  if (!unit) return formatNumber(value);
  // "1 item", not "1 items": a plain plural word loses its s for exactly one.
  const singular = Math.abs(value) === 1 && /^[a-z]+s$/.test(unit) ? unit.slice(0, -1) : unit;
  return `${formatNumber(value)} ${singular}`;
}

/** Formats a difference with its sign and unit: "+7.24 h", "-$3.50". */
export function formatSignedValue(value: number, spec?: FeatureSpec): string {
  const text = formatValue(value, spec);
  return value > 0 ? `+${text}` : text;
}

/** Formats a share 0..1 as a percentage: "5.4%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Formats a signed percentage difference: "+1,021%", "-42%", or "n/a" when null. */
export function formatDiffPct(diffPct: number | null): string {
  if (diffPct === null || !Number.isFinite(diffPct)) return "n/a";
  const rounded = Math.abs(diffPct) >= 10 ? Math.round(diffPct) : Number(diffPct.toFixed(1));
  if (rounded === 0) return "0%";
  const sign = rounded > 0 ? "+" : "";
  return `${sign}${rounded.toLocaleString("en-US")}%`;
}

/** Formats a level with its traffic-light badge: "🟢 NORMAL", "🟡 HIGH", "🔴 EXTREME". */
export function formatLevel(level: DeviationLevel): string {
  switch (level) {
    case "NORMAL":
      return "🟢 NORMAL";
    case "HIGH":
      return "🟡 HIGH";
    case "EXTREME":
      return "🔴 EXTREME";
    default:
      return assertNever(level);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected deviation level ${JSON.stringify(value)}`);
}

/** Formats an integer count with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** Milliseconds as "850 ms" or "2.4 s". */
export function formatMillis(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Returns the display label of a feature: its label, or else its name. */
export function featureLabel(spec: FeatureSpec): string {
  return spec.label ?? spec.name;
}

/** "1 row", "2 rows", "1,000 anomalies": the count with the noun in the right number. */
export function plural(count: number, singular: string, pluralForm = singular + "s"): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/**
 * Breaks `text` at spaces into lines of at most `width` columns (a longer word keeps its
 * own line); lines after the first start with `indent`.
 */
export function wrapText(text: string, width: number, indent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    const limit = lines.length === 0 ? width : width - indent.length;
    if (line && next.length > limit) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join("\n" + indent);
}
