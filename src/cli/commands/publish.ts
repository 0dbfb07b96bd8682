/**
 * `sigh publish`: send the rows of a CSV file to JetStream as JSON events.
 * `sigh publish-model`: upload a model file that running `sigh consume` processes load.
 */

import { readFile } from "node:fs/promises";
import { numberOption, parseCommandLine, stringOption } from "../args.js";
import type { CliIo, Command } from "../command.js";
import { CsvDataSource } from "../data.js";
import { AnomalyModel, InputError, ModelFileError, UsageError } from "../engine.js";
import { resolvePath } from "../output.js";
import { ProgressBar } from "../progress.js";
import { connectFleet, type FleetConnection } from "../../fleet/connect.js";
import {
  DEFAULT_MODEL_BUCKET,
  DEFAULT_MODEL_KEY,
  publishModel,
} from "../../fleet/model-store.js";
import { csvRowToEvent, publishEvents, type SourceEvent } from "../../fleet/publisher.js";
import { defaultEventSubjects } from "../../fleet/streams.js";

const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";

const publishUsage = `Usage: sigh publish DATA.csv --subject SUBJECT [options]

Publishes each row of DATA.csv ("-" reads stdin) as one JSON event to SUBJECT through
JetStream and waits for every acknowledgement. Cells that are decimal numbers become
JSON numbers, blank cells null, and other cells strings; the id column stays a string.
The id becomes the message id, so a stream drops a row published again within its
duplicate window (2 minutes by default). Progress goes to stderr (a line every 5 s when
stderr is not a terminal); a JSON summary (published, duplicates, stream) goes to stdout.

Options:
  --nats URL          NATS server (default ${DEFAULT_NATS_URL})
  --subject SUBJECT   subject to publish to, such as orders.new (required)
  --id-field NAME     column that holds the event id (default order_id)
  --stream NAME       create this stream for SUBJECT if no stream stores it yet (its
                      subjects are NAME lowercased + ".>" when SUBJECT fits that,
                      else SUBJECT alone)
  --max-in-flight N   publishes awaiting acknowledgement at most (default 256)
`;

export const command: Command = {
  name: "publish",
  summary: "publish the rows of a CSV file to NATS JetStream as events",
  usage: publishUsage,
  run: runPublish,
};

async function runPublish(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("publish", args, {
    nats: { type: "string" },
    subject: { type: "string" },
    "id-field": { type: "string" },
    stream: { type: "string" },
    "max-in-flight": { type: "string" },
  }, 1);
  const dataPath = positionals[0];
  if (dataPath === undefined) {
    throw new UsageError("sigh publish: missing argument DATA.csv");
  }
  const subject = stringOption(values, "subject");
  if (subject === undefined) {
    throw new UsageError("sigh publish: missing option --subject SUBJECT");
  }
  const idField = stringOption(values, "id-field") ?? "order_id";
  const rawInFlight = stringOption(values, "max-in-flight");
  const maxInFlight = rawInFlight === undefined
    ? 256
    : numberOption("max-in-flight", rawInFlight, { integer: true, min: 1 });

  const name = dataPath === "-" ? "stdin" : dataPath;
  const source = dataPath === "-"
    ? CsvDataSource.fromStream(io.stdin, "stdin")
    : new CsvDataSource(resolvePath(io.cwd, dataPath));
  const header = await source.header();
  if (!header.includes(idField)) {
    throw new InputError(
      `${name}: column "${idField}" not found (columns: ${header.join(", ")}); ` +
        "set --id-field to the column that contains the event id",
      { file: name, line: 1, field: idField },
    );
  }

  const fleet = await connectFleet(stringOption(values, "nats") ?? DEFAULT_NATS_URL, {
    name: "sigh publish",
  });
  try {
    await checkStream(fleet, subject, stringOption(values, "stream"));
    const progress = publishProgress(io, `publishing ${name}`);
    const started = performance.now();
    const summary = await publishEvents(fleet.js, csvEvents(source, idField), {
      subject,
      idField,
      sourceName: name,
      maxInFlight,
      onProgress: progress.update,
    });
    progress.finish();
    const seconds = (performance.now() - started) / 1000;
    io.stderr.write(
      `published ${summary.published} events to ${subject} in ${seconds.toFixed(1)} s` +
        ` (${Math.round(summary.published / seconds)} events/s)\n`,
    );
    io.stdout.write(JSON.stringify({ ...summary, subject, seconds }) + "\n");
    return 0;
  } finally {
    await fleet.nc.drain().catch(() => fleet.nc.close());
  }
}

/** Interval of the plain progress lines written when stderr is not a terminal, in ms. */
const PLAIN_PROGRESS_MS = 5000;

/**
 * Reports the count of published events on stderr: a redrawn bar on a terminal, else a
 * plain line every 5 s. The total is unknown while the CSV is read as a stream.
 */
function publishProgress(io: CliIo, label: string) {
  if (io.stderrIsTTY) {
    const bar = new ProgressBar(io.stderr, { label, unit: "events", tty: true });
    return {
      update: (published: number) => bar.update(published),
      finish: () => bar.finish(),
    };
  }
  const started = performance.now();
  let lastLine = started;
  const update = (published: number) => {
    const now = performance.now();
    if (now - lastLine < PLAIN_PROGRESS_MS) return;
    lastLine = now;
    const rate = Math.round(published / ((now - started) / 1000));
    io.stderr.write(`${label}: ${published} events, ${rate} events/s\n`);
  };
  return { update, finish: () => {} };
}

async function* csvEvents(
  source: CsvDataSource,
  idField: string,
): AsyncIterable<SourceEvent> {
  for await (const row of source.rows()) {
    yield { record: csvRowToEvent(row.fields, idField), line: row.line };
  }
}

/**
 * Throws a clear error when no stream stores `subject`, unless `streamName` is given, in
 * which case that stream is created for it.
 */
async function checkStream(fleet: FleetConnection, subject: string, streamName?: string) {
  try {
    await fleet.jsm.streams.find(subject);
    return;
  } catch (error) {
    if (streamName === undefined) {
      throw new Error(
        `no JetStream stream stores subject ${subject} ` +
          `(${error instanceof Error ? error.message : error}); ` +
          "start sigh consume first or pass --stream NAME to create one",
      );
    }
  }
  const fitsDefault = subject.startsWith(`${streamName.toLowerCase()}.`);
  const subjects = fitsDefault ? defaultEventSubjects(streamName) : [subject];
  await ensureStreamOnly(fleet, streamName, subjects);
}

async function ensureStreamOnly(fleet: FleetConnection, name: string, subjects: string[]) {
  try {
    await fleet.jsm.streams.add({ name, subjects });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const stored = subjects.join(", ");
    throw new Error(`failed to create stream ${name} for ${stored}: ${message}`);
  }
}

const publishModelUsage = `Usage: sigh publish-model FILE [options]

Uploads a model file from "sigh train" to a JetStream key-value bucket. Every
"sigh consume --model-bucket" process watching the bucket loads it and scores the
next events with it, without a restart. The file is checked before upload; a process
that cannot load a model logs the error and keeps its current model.

Options:
  --nats URL            NATS server (default ${DEFAULT_NATS_URL})
  --model-bucket NAME   bucket (default ${DEFAULT_MODEL_BUCKET}; created if missing)
  --model-key KEY       key of the model in the bucket (default ${DEFAULT_MODEL_KEY})
`;

export const publishModelCommand: Command = {
  name: "publish-model",
  summary: "upload a model to NATS so a running fleet switches to it",
  usage: publishModelUsage,
  run: runPublishModel,
};

async function runPublishModel(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("publish-model", args, {
    nats: { type: "string" },
    "model-bucket": { type: "string" },
    "model-key": { type: "string" },
  }, 1);
  const modelPath = positionals[0];
  if (modelPath === undefined) {
    throw new UsageError("sigh publish-model: missing argument FILE");
  }
  const bytes = await readModelFile(resolvePath(io.cwd, modelPath), modelPath);
  const decode = (data: Uint8Array) => {
    try {
      return AnomalyModel.fromBytes(data);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ModelFileError(`model file ${modelPath}: ${message}`);
    }
  };
  // Reject a bad file before connecting; publishModel checks it again.
  decode(bytes);

  const fleet = await connectFleet(stringOption(values, "nats") ?? DEFAULT_NATS_URL, {
    name: "sigh publish-model",
  });
  try {
    const bucket = stringOption(values, "model-bucket") ?? DEFAULT_MODEL_BUCKET;
    const key = stringOption(values, "model-key") ?? DEFAULT_MODEL_KEY;
    const manifest = await publishModel(fleet, bytes, decode, { bucket, key });
    io.stderr.write(
      `published model ${manifest.modelId} (${manifest.size} bytes) to ${bucket}/${key}\n`,
    );
    io.stdout.write(JSON.stringify({ bucket, key, ...manifest }) + "\n");
    return 0;
  } finally {
    await fleet.nc.drain().catch(() => fleet.nc.close());
  }
}

async function readModelFile(path: string, displayPath: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT"
      ? "file not found"
      : `cannot read it (${code ?? error})`;
    throw new ModelFileError(`model file ${displayPath}: ${reason}`);
  }
}
