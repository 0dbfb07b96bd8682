#!/usr/bin/env node
/**
 * Entry point of the `sigh` executable: wires the process streams to `main` and sets the
 * exit code. An EPIPE on stdout (`sigh score ... | head`) ends the process quietly.
 */

import process from "node:process";
import type { CliIo } from "./command.js";
import { main } from "./program.js";

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  verbose: false,
};

process.exitCode = await main(process.argv.slice(2), io);
