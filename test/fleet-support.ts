/** Helpers shared by the fleet tests. */

import { Writable } from "node:stream";
import { createFleetLogger } from "../src/fleet/log.js";

/** Returns a fleet logger whose JSON lines are collected, parsed, in `lines`. */
export function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split("\n")) {
        if (line) lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { lines, logger: createFleetLogger("test", sink) };
}

/** Polls `check` every 20 ms; throws naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
