/** Helpers shared by the fleet tests. */

import { spawn, type ChildProcess } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createFleetLogger } from "../src/fleet/log.js";

/** The project root, where `src/cli/main.ts` runs from. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A `sigh` child process with its output collected so far. */
export interface SighProcess {
  process: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every process `sigh()` started, for tests to stop in their `after` hooks. */
export const children: SighProcess[] = [];

// Consumers retry a vanished server forever, so none may outlive the test process.
process.once("exit", () => {
  for (const child of children) child.process.kill("SIGKILL");
});

/** Runs `sigh ARGS` from the sources as a child process. */
export function sigh(args: string[]): SighProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const handle: SighProcess = {
    process: child,
    stdout: "",
    stderr: "",
    exit: new Promise((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
    }),
  };
  child.stdout.on("data", (chunk) => (handle.stdout += chunk));
  child.stderr.on("data", (chunk) => (handle.stderr += chunk));
  children.push(handle);
  return handle;
}

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
