/** `sigh derive`: derive interval, frequency and hour-of-day features from raw events. */

import {
  choiceOption,
  missingArgument,
  parseCommandLine,
  stringOption,
} from "../args.js";
import type { CliIo, Command } from "../command.js";
import { DEFAULT_DERIVED_NAMES, ORDER_DERIVED_NAMES, deriveCsv } from "../data.js";
import { UsageError, quote } from "../engine.js";
import { checkDataPath, openCsvSource, reportSkipped } from "../input.js";
import { resolvePath } from "../output.js";
import { plural } from "../render/format.js";

const NAME_SETS = ["events", "orders"] as const;
const FIRST_EVENT = ["empty", "drop"] as const;
const EPOCH_UNITS = ["auto", "s", "ms"] as const;

const ORDER_NAMES_TEXT = [
  ORDER_DERIVED_NAMES.interval,
  ORDER_DERIVED_NAMES.frequency,
  ORDER_DERIVED_NAMES.hour,
].join(", ");

const usage = `Usage: sigh derive RAW.csv --entity COL --time COL --tz ZONE [options]

Reads raw events (one row per event, with an entity id and a timestamp) from RAW.csv
("-" reads stdin) and writes CSV with the entity, the time, the --keep columns and three
derived features per event, in input order:
  ${DEFAULT_DERIVED_NAMES.interval}  minutes since the entity's previous event (empty
                         for its first event)
  ${DEFAULT_DERIVED_NAMES.frequency}         the entity's events per day over its active days (at
                         least 1 day)
  ${DEFAULT_DERIVED_NAMES.hour}            local hour of day, 0-24, in the --tz time zone

Options:
  --entity COL          column with the entity id (user, service, card), required
  --time COL            column with the timestamp: ISO 8601, or epoch seconds or
                        milliseconds, required
  --tz ZONE             IANA time zone for the hour of day, such as UTC or
                        Europe/London; required, because the hour depends on it
  --out FILE            file to write (default: stdout)
  --keep a,b            columns copied unchanged, such as the numeric features
  --names events|orders output names: events (default) as above; orders names them
                        ${ORDER_NAMES_TEXT}
  --first-event empty|drop
                        an entity's first event has no interval: empty (default)
                        writes an empty cell, drop leaves the row out
  --epoch-unit auto|s|ms
                        how plain numbers in the time column are read (default auto:
                        below 1e11 seconds, else milliseconds)
  --skip-invalid        skip rows with a bad entity or timestamp and report how many
                        were skipped on stderr (default: stop at the first one)
`;

export const command: Command = {
  name: "derive",
  summary: "derive interval, frequency and hour-of-day features from raw events",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("derive", args, {
    entity: { type: "string" },
    time: { type: "string" },
    tz: { type: "string" },
    out: { type: "string" },
    keep: { type: "string" },
    names: { type: "string" },
    "first-event": { type: "string" },
    "epoch-unit": { type: "string" },
    "skip-invalid": { type: "boolean" },
  }, 1);
  const input = positionals[0];
  if (input === undefined) throw missingArgument("derive", "argument RAW.csv");
  const entity = requireOption(values, "entity", "COL");
  const time = requireOption(values, "time", "COL");
  const timeZone = checkTimeZone(requireOption(values, "tz", "ZONE"));
  const keep = parseKeep(stringOption(values, "keep"));
  const names = choiceOption("names", stringOption(values, "names") ?? "events", NAME_SETS);
  const skipInvalid = values["skip-invalid"] === true;
  const out = stringOption(values, "out");

  // A path (not a data source) lets the data layer name the file in its messages.
  const source = input === "-"
    ? await openCsvSource(input, skipInvalid, io)
    : await checkDataPath(input, io);
  const output = out === undefined || out === "-" ? io.stdout : resolvePath(io.cwd, out);
  const result = await deriveCsv(source, output, {
    entity,
    time,
    timeZone,
    keep,
    names: names === "orders" ? ORDER_DERIVED_NAMES : DEFAULT_DERIVED_NAMES,
    firstEvent: choiceOption(
      "first-event",
      stringOption(values, "first-event") ?? "empty",
      FIRST_EVENT,
    ),
    epochUnit: choiceOption(
      "epoch-unit",
      stringOption(values, "epoch-unit") ?? "auto",
      EPOCH_UNITS,
    ),
    skipInvalid,
  });

  reportSkipped(input === "-" ? "stdin" : input, result.skipped, result.skippedReasons, io);
  if (out !== undefined && out !== "-") {
    const dropped = result.dropped ? `, ${plural(result.dropped, "first event")} dropped` : "";
    io.stderr.write(`wrote ${plural(result.rows, "row")} to ${out}${dropped}\n`);
  }
  return 0;
}

function requireOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
  placeholder: string,
): string {
  const value = stringOption(values, name);
  if (value === undefined || value === "") {
    throw missingArgument("derive", `option --${name} ${placeholder}`);
  }
  return value;
}

/** Checks `zone` with `Intl`, so a typo is a usage error before any data is read. */
function checkTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new UsageError(
      `invalid value ${quote(zone)} for --tz: expected an IANA time zone such as UTC, ` +
        "Europe/London or America/New_York",
    );
  }
  return zone;
}

function parseKeep(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const columns = raw.split(",").map((column) => column.trim());
  if (columns.some((column) => column === "")) {
    throw new UsageError(
      `invalid value ${quote(raw)} for --keep: expected column names separated by commas`,
    );
  }
  return columns;
}
