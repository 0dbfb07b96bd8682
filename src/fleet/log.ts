/** The fleet's structured log: one JSON line per entry on stderr, through pino. */

import pino, { type DestinationStream, type Logger } from "pino";

export type FleetLogger = Logger;

/**
 * Creates a pino logger tagged with `component`. It writes synchronously to stderr by
 * default, so lines logged just before a crash or SIGKILL are not lost.
 */
export function createFleetLogger(
  component: string,
  destination: DestinationStream = pino.destination({ fd: 2, sync: true }),
  level = "info",
): FleetLogger {
  return pino({ level, base: { component, pid: process.pid } }, destination);
}

/**
 * Caps how many lines of one kind are logged per second. Repeats beyond the cap are
 * counted, and the count is attached to the next line that is allowed.
 */
export class LogRateLimit {
  private windowStart = 0;
  private usedInWindow = 0;
  private suppressed = 0;

  constructor(private readonly perSecond: number) {}

  /** Returns the number of lines suppressed since the last allowed one, or -1 to skip. */
  take(now = Date.now()): number {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.usedInWindow = 0;
    }
    if (this.usedInWindow >= this.perSecond) {
      this.suppressed++;
      return -1;
    }
    this.usedInWindow++;
    const count = this.suppressed;
    this.suppressed = 0;
    return count;
  }
}
