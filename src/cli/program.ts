/**
 * The `sigh` program: global options, dispatch to a subcommand, and the mapping from
 * errors to one line on stderr and an exit code (0 success, 1 failure, 2 usage error).
 */

import { readFileSync } from "node:fs";
import { UsageError, quote } from "../engine/errors.js";
import type { CliIo, Command } from "./command.js";
import { commands } from "./commands/index.js";

/** Exit codes of the `sigh` command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The version in package.json (the same relative path from src/cli and dist/cli). */
export function version(): string {
  const url = new URL("../../package.json", import.meta.url);
  const pkg = JSON.parse(readFileSync(url, "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

/**
 * Runs `sigh` with `argv` (the arguments after the program name) and returns the exit
 * code. An error thrown by a command becomes one `sigh: <message>` line on `io.stderr`,
 * followed by the stack trace when `--verbose` is given.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const { args, verbose } = takeVerbose(argv);
  const runIo: CliIo = { ...io, verbose: io.verbose || verbose };
  try {
    return await dispatch(args, runIo);
  } catch (error) {
    reportError(error, runIo);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}

/** Removes every `--verbose` before a `--` separator; it is valid anywhere. */
function takeVerbose(argv: readonly string[]): { args: string[]; verbose: boolean } {
  const end = argv.indexOf("--");
  const head = end === -1 ? [...argv] : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  const kept = head.filter((arg) => arg !== "--verbose");
  return { args: [...kept, ...tail], verbose: kept.length !== head.length };
}

async function dispatch(args: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    io.stdout.write(topic ? findCommand(topic).usage.trimEnd() + "\n" : programHelp());
    return EXIT_OK;
  }
  if (first === "--version" || first === "-V") {
    io.stdout.write(`sigh ${version()}\n`);
    return EXIT_OK;
  }
  if (first.startsWith("-")) {
    throw new UsageError(`unknown option ${quote(first)} (run "sigh --help" for usage)`);
  }
  const command = findCommand(first);
  if (wantsHelp(rest)) {
    io.stdout.write(command.usage.trimEnd() + "\n");
    return EXIT_OK;
  }
  return command.run(rest, io);
}

/** True when `--help` or `-h` appears before any `--` separator. */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  const head = end === -1 ? args : args.slice(0, end);
  return head.includes("--help") || head.includes("-h");
}

function findCommand(name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const names = commands.map((c) => c.name).join(", ");
    throw new UsageError(`unknown command ${quote(name)} (commands: ${names})`);
  }
  return command;
}

function programHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "sigh: find unusual events without labels (DBSCAN over behavioural features)",
    "",
    "Usage: sigh COMMAND [OPTIONS]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  --help, -h      show this help, or a command's help: sigh COMMAND --help",
    "  --version, -V   print the version",
    "  --verbose       print stack traces with errors",
    "",
    "Exit codes: 0 success, 1 failure, 2 usage error.",
    "",
  ].join("\n");
}

/** Plain words for file-system errors that reach the top without a message of ours. */
const SYSTEM_ERRORS: Record<string, string> = {
  EISDIR: "is a folder, expected a file",
  ENOTDIR: "a part of the path is not a folder",
  EEXIST: "already exists and is not a folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or folder",
  ENOSPC: "no space left on the device",
  EROFS: "the file system is read-only",
};

/** Returns the message of `error`, with Node's system errors put in plain words. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, path } = error as NodeJS.ErrnoException;
  const plain = code ? SYSTEM_ERRORS[code] : undefined;
  if (plain && path) return `${path}: ${plain} (${code})`;
  if (code === "ENOTFOUND" || code === "EADDRNOTAVAIL") {
    return `${error.message}: the host name or address is not valid on this machine (${code})`;
  }
  return error.message;
}

/** Writes one `sigh: <message>` line, plus the stack with --verbose. */
function reportError(error: unknown, io: CliIo): void {
  const message = describeError(error);
  const oneLine = message.replace(/\s*\n\s*/g, " ").trim() || "unknown error";
  io.stderr.write(`sigh: ${oneLine}\n`);
  if (io.verbose && error instanceof Error && error.stack) {
    io.stderr.write(error.stack + "\n");
  }
}
