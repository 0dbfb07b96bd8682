/**
 * Starts a throwaway `nats-server -js` on loopback for tests and benchmarks: a free port,
 * a fresh store folder, and a `stop()` that kills the process and removes the folder.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface NatsServerHandle {
  /** Client URL, such as `nats://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** JetStream store folder (`-sd`), removed by `stop()`. */
  storeDir: string;
  process: ChildProcess;
  /** Kills the server (SIGTERM, then SIGKILL after 3 s) and removes the store folder. */
  stop(): Promise<void>;
}

export interface StartNatsOptions {
  /** Executable to run. Default "nats-server" from PATH. */
  binary?: string;
  /** How long to wait for "Server is ready" in milliseconds. Default 10,000. */
  readyTimeoutMs?: number;
}

/** Asks the kernel for a free TCP port on 127.0.0.1; another process may take it first. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `nats-server -js -a 127.0.0.1 -p PORT -sd DIR` and resolves once the server logs
 * that it is ready. Throws when the binary is missing, exits early or is not ready in time;
 * the store folder is removed in those cases too.
 */
export async function startNatsServer(
  options: StartNatsOptions = {},
): Promise<NatsServerHandle> {
  const binary = options.binary ?? "nats-server";
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), "sigh-nats-"));
  const args = ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir];
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });

  // A test runner that exits without calling stop() must not leave the server behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await killAndWait(child);
    rmSync(storeDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(child, binary, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://127.0.0.1:${port}`, port, storeDir, process: child, stop };
}

function waitUntilReady(
  child: ChildProcess,
  binary: string,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => {
      finish(new Error(`${binary} was not ready after ${timeoutMs} ms; its log:\n${log}`));
    }, timeoutMs);

    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
      if (log.includes("Server is ready")) finish();
    };
    const onError = (error: Error) => {
      const hint = "(is nats-server installed?)";
      finish(new Error(`failed to start ${binary}: ${error.message} ${hint}`));
    };
    const onExit = (code: number | null) => {
      const message = `${binary} exited with code ${code} before it was ready`;
      finish(new Error(`${message}; its log:\n${log}`));
    };

    function finish(error?: Error) {
      clearTimeout(timer);
      child.stderr?.removeListener("data", onData);
      child.removeListener("error", onError);
      child.removeListener("exit", onExit);
      // Keep reading stderr, because a full pipe would block the server.
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    }

    child.stderr?.on("data", onData);
    child.once("error", onError);
    child.once("exit", onExit);
  });
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function killAndWait(child: ChildProcess, graceMs = 3000): Promise<void> {
  const exited = child.exitCode !== null || child.signalCode !== null;
  // A process that never spawned (binary not found) has no pid and emits no "exit".
  if (exited || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
