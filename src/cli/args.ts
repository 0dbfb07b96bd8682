/** Command-line parsing helpers that turn every bad command line into a `UsageError`. */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError, quote } from "../engine/errors.js";

type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/** Parsed options: strings for options that take a value, booleans for flags. */
export type ParsedOptions = Record<string, string | boolean | undefined>;

export interface ParsedArgs {
  values: ParsedOptions;
  positionals: string[];
}

/**
 * Parses `args` strictly with `node:util` `parseArgs`. Unknown options, missing values and
 * too many positionals become a `UsageError` naming the option and the command.
 */
export function parseCommandLine(
  commandName: string,
  args: string[],
  options: OptionSpecs,
  maxPositionals: number,
): ParsedArgs {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw toUsageError(commandName, error);
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals];
    throw new UsageError(`unexpected argument ${quote(extra)} ${helpHint(commandName)}`);
  }
  return { values: parsed.values as ParsedOptions, positionals: parsed.positionals };
}

/**
 * Rewrites `--eps -1` as `--eps=-1` for options that take a value, so a negative number
 * reaches the option's own check ("eps must be positive") instead of being read as an
 * unknown option.
 */
function joinNegativeValues(args: string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : undefined;
    const next = args[i + 1];
    const takesValue = name !== undefined && options[name]?.type === "string";
    if (takesValue && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** Rewrites a `parseArgs` error as a one-line `UsageError`. */
function toUsageError(commandName: string, error: unknown): UsageError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const help = helpHint(commandName);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return new UsageError(`unknown option ${quote(option)} ${help}`);
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (message.includes("argument missing")) {
        return new UsageError(`option ${option} needs a value ${help}`);
      }
      if (message.includes("ambiguous")) {
        return new UsageError(
          `option ${option} needs a value` +
            ` (write ${option}=VALUE for a value that starts with "-")`,
        );
      }
      return new UsageError(`option ${option} takes no value ${help}`);
    default:
      return new UsageError(`${message.split("\n")[0]} ${help}`);
  }
}

/** Returns the hint that ends usage errors: where to read the command's usage. */
export function helpHint(commandName: string): string {
  return `(run "sigh ${commandName} --help" for usage)`;
}

/** Creates the `UsageError` for a missing argument or option, such as "argument DATA.csv". */
export function missingArgument(commandName: string, missing: string): UsageError {
  return new UsageError(`missing ${missing} ${helpHint(commandName)}`);
}

/** Returns the string value of option `name`, or undefined when it was not given. */
export function stringOption(values: ParsedOptions, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  /** When true, `min` itself is rejected. */
  minExclusive?: boolean;
  max?: number;
}

/**
 * Parses the value of option `--name` as a number. The whole string must be a finite
 * decimal number; otherwise the `UsageError` names the option, the value and what is
 * accepted.
 */
export function numberOption(
  name: string,
  raw: string,
  rule: NumberRule = {},
): number {
  const value = raw.trim() === "" ? NaN : Number(raw);
  const ok =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.minExclusive ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    throw new UsageError(
      `invalid value ${quote(raw)} for --${name}: expected ${describeRule(rule)}`,
    );
  }
  return value;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? "an integer" : "a number";
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`${rule.minExclusive ? ">" : ">="} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.length ? `${kind} ${parts.join(" and ")}` : kind;
}

/** Checks that `raw` is one of `choices` and returns it typed; otherwise a `UsageError`. */
export function choiceOption<T extends string>(
  name: string,
  raw: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(
    `invalid value ${quote(raw)} for --${name}: expected one of ${choices.join(", ")}`,
  );
}

/** Returns integer option `name` (at least `min`), or `fallback` when it was not given. */
export function integerOption(
  raw: string | boolean | undefined,
  name: string,
  min: number,
  fallback: number,
): number {
  if (typeof raw !== "string") return fallback;
  return numberOption(name, raw, { integer: true, min });
}
