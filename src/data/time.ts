/** Timestamps: parsing ISO 8601 and epoch values, and the hour of day in a time zone. */

import { ParameterError } from "../engine/errors.js";

/** Unit of plain numbers read as times: "auto" takes |value| < 1e11 as seconds. */
export type EpochUnit = "auto" | "s" | "ms";

/** Date, `T` or space, hours and minutes, optional seconds and fraction, optional offset. */
const ISO = new RegExp(
  "^(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?" +
    "\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?$",
  "i",
);
const EPOCH = /^[+-]?\d+(\.\d+)?$/;

/**
 * Parses a timestamp to epoch milliseconds, or returns NaN when it is invalid.
 * Accepted: ISO 8601 date-times with `T` or a space, seconds and fractions optional,
 * and an offset (`Z`, `+01:00`, `+0100`, `+01`). A date-time without an offset is
 * read as UTC. Plain numbers are epoch seconds or milliseconds (see `EpochUnit`);
 * with "auto", values below 1e11 in magnitude are seconds (1e11 s is in the year 5138).
 */
export function parseTimestamp(value: unknown, unit: EpochUnit = "auto"): number {
  if (typeof value === "number") return epochMs(value, unit);
  if (typeof value !== "string") return NaN;
  const text = value.trim();
  if (EPOCH.test(text)) return epochMs(Number(text), unit);
  const m = ISO.exec(text);
  if (!m) return NaN;

  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return NaN;
  const utc = utcMs(year, month, day, hour, minute, second);
  // Dates roll 2024-02-30 over into March; a changed day means the date is invalid.
  if (new Date(utc).getUTCDate() !== day) return NaN;
  return utc + fraction - offsetMinutes(m[8]) * 60000;
}

function epochMs(value: number, unit: EpochUnit): number {
  if (!Number.isFinite(value)) return NaN;
  const seconds = unit === "s" || (unit === "auto" && Math.abs(value) < 1e11);
  const ms = seconds ? value * 1000 : value;
  // The range of Date: ±8.64e15 ms around 1970.
  return Math.abs(ms) <= 8.64e15 ? ms : NaN;
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset.toUpperCase() === "Z") return 0;
  const sign = offset[0] === "-" ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

/**
 * Computes hours of day (0 to under 24, decimal) in one IANA time zone, following its
 * daylight-saving rules through `Intl.DateTimeFormat`. Offsets are cached per 15-minute
 * span and recomputed exactly where a span contains an offset change.
 */
export class ZonedClock {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  /** @throws ParameterError for a time zone name that Intl does not know. */
  constructor(timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new ParameterError(
        "timeZone",
        `unknown time zone ${JSON.stringify(timeZone)} ` +
          `(expected an IANA name such as "Europe/London", "America/New_York" or "UTC")`,
      );
    }
    this.timeZone = this.format.resolvedOptions().timeZone;
  }

  /** Local hour of day of epoch milliseconds `ms`, such as 13.5 for 13:30. */
  hourOfDay(ms: number): number {
    const local = ms + this.offsetMs(ms);
    const day = 86400000;
    return (((local % day) + day) % day) / 3600000;
  }

  /** Offset of local time from UTC at `ms`, in milliseconds. */
  offsetMs(ms: number): number {
    const span = 900000;
    const bucket = Math.floor(ms / span);
    let start = this.offsets.get(bucket);
    if (start === undefined) {
      start = this.exactOffset(bucket * span);
      this.offsets.set(bucket, start);
    }
    let end = this.offsets.get(bucket + 1);
    if (end === undefined) {
      end = this.exactOffset((bucket + 1) * span);
      this.offsets.set(bucket + 1, end);
    }
    return start === end ? start : this.exactOffset(ms);
  }

  private exactOffset(ms: number): number {
    const whole = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(whole))) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    const asUtc = utcMs(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second);
    return asUtc - whole;
  }
}

/** Like Date.UTC with a 1-based month, but years 0-99 stay years 0-99. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number,
  second: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}
