/** `sigh consume`: one scoring process of a fleet that shares a JetStream pull consumer. */

import {
  numberOption,
  parseCommandLine,
  stringOption,
  type ParsedOptions,
} from "../args.js";
import type { CliIo, Command } from "../command.js";
import { AnomalyModel, UsageError } from "../engine.js";
import { loadModel } from "../model-file.js";
import { resolvePath } from "../output.js";
import { connectFleet, type FleetConnection } from "../../fleet/connect.js";
import { Scorer, type ModelHolder } from "../../fleet/consumer.js";
import type { ScoringModel } from "../../fleet/events.js";
import { createFleetLogger, type FleetLogger } from "../../fleet/log.js";
import { DEFAULT_MODEL_KEY } from "../../fleet/model-store.js";
import { watchModels, type ModelWatch } from "../../fleet/model-watch.js";
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  defaultEventSubjects,
  ensureTopology,
  type FleetTopology,
} from "../../fleet/streams.js";

const usage = `Usage: sigh consume --model FILE | --model-bucket NAME [options]

Scores events from a JetStream stream as one member of a fleet: every process started
with the same --stream and --consumer shares one durable pull consumer, so events are
spread over them. Each event (a JSON object) is scored, its result is published to
sigh.results.<stream> (anomalies also to sigh.alerts.<stream>) with the event id as
message id, and only then acknowledged. Events that cannot be scored go to
sigh.dead.<stream> with the reason. Missing streams and the consumer are created.
SIGTERM or SIGINT stops pulling, finishes the events in hand and exits 0.
Logs are JSON lines on stderr; the final counts are one JSON line on stdout.

Options:
  --nats URL                 NATS server (default nats://127.0.0.1:4222)
  --stream NAME              event stream (default ORDERS)
  --subjects LIST            comma-separated subjects of the event stream if it has to
                             be created (default: the lowercased stream name + ".>",
                             such as orders.>)
  --consumer NAME            durable consumer shared by the fleet (default scorers)
  --model FILE               model file from "sigh train"
  --model-bucket NAME        key-value bucket to load models from and watch for new
                             ones (see "sigh publish-model"); with --model as well,
                             FILE scores until the bucket provides a model
  --model-key KEY            key of the model in the bucket (default ${DEFAULT_MODEL_KEY})
  --id-field NAME            event field that holds the event id (default order_id)
  --results-stream NAME      stream for results and alerts (default SIGH_RESULTS)
  --dead-letter-stream NAME  stream for rejected events (default SIGH_DEAD)
  --max-deliver N            deliveries of an event that keeps failing before it goes
                             to the dead-letter stream (default 5)
  --ack-wait S               seconds before an unacknowledged event is delivered to
                             another process (default 5)
  --batch N                  events pulled per request and processed at once (default 64)
  --max-ack-pending N        unacknowledged events across the whole fleet (default 1000)
  --duplicate-window S       seconds within which a second result for the same event
                             id is dropped, for streams this creates (default 120)
`;

export const command: Command = {
  name: "consume",
  summary: "score events from NATS JetStream as one process of a fleet",
  usage,
  run,
};

const OPTION_SPECS = {
  nats: { type: "string" },
  stream: { type: "string" },
  subjects: { type: "string" },
  consumer: { type: "string" },
  model: { type: "string" },
  "model-bucket": { type: "string" },
  "model-key": { type: "string" },
  "id-field": { type: "string" },
  "results-stream": { type: "string" },
  "dead-letter-stream": { type: "string" },
  "max-deliver": { type: "string" },
  "ack-wait": { type: "string" },
  batch: { type: "string" },
  "max-ack-pending": { type: "string" },
  "duplicate-window": { type: "string" },
} as const;

interface ConsumeSettings {
  url: string;
  topology: FleetTopology;
  modelPath?: string;
  modelBucket?: string;
  modelKey: string;
  idField: string;
  batch: number;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine("consume", args, OPTION_SPECS, 0);
  const settings = parseSettings(values);
  const logger = createFleetLogger("consume");
  const stop = stopSignal();

  try {
    const fileModel = settings.modelPath
      ? await loadModel(resolvePath(io.cwd, settings.modelPath))
      : undefined;
    const fleet = await connectFleet(settings.url, { name: `sigh consume ${process.pid}` });
    try {
      return await serve(fleet, settings, fileModel, stop.signal, logger, io);
    } finally {
      await fleet.nc.drain().catch(() => fleet.nc.close());
    }
  } catch (error) {
    // main.ts prints the error as a plain line too; this keeps the JSON log complete.
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: message }, "consume failed");
    throw error;
  } finally {
    stop.dispose();
  }
}

/** Sets up the streams, loads the model and scores until `signal` fires. */
async function serve(
  fleet: FleetConnection,
  settings: ConsumeSettings,
  fileModel: ScoringModel | undefined,
  signal: Promise<string>,
  logger: FleetLogger,
  io: CliIo,
): Promise<number> {
  const setup = await ensureTopology(fleet.jsm, settings.topology);
  logger.info({ created: setup.created, existing: setup.existing }, "streams ready");
  for (const warning of setup.warnings) logger.warn(warning);

  const holder = await startModels(fleet, settings, fileModel, signal, logger);
  if (!holder) {
    logger.info("stopped before a model arrived");
    return 0;
  }

  const { topology } = settings;
  const scorer = new Scorer({
    fleet,
    eventStream: topology.eventStream,
    consumer: topology.consumer,
    resultsStream: topology.resultsStream,
    deadLetterStream: topology.deadLetterStream,
    idField: settings.idField,
    models: holder.models,
    batch: settings.batch,
    maxDeliver: topology.maxDeliver,
    logger,
  });
  await scorer.start();
  logger.info({
    stream: topology.eventStream,
    consumer: topology.consumer,
    modelId: holder.models.current.modelId,
    batch: settings.batch,
    idField: settings.idField,
  }, "consumer started");

  const closed = fleet.nc.closed().then(() => "connection closed");
  const ended = await Promise.race([signal, closed]);
  logger.info({ reason: ended }, "consumer stopping");
  holder.watch?.stop();
  await scorer.stop();
  logger.info({ stats: scorer.stats }, "consumer stopped");
  io.stdout.write(JSON.stringify(scorer.stats) + "\n");
  return ended === "connection closed" ? 1 : 0;
}

/**
 * Returns the model holder: the file's model at first, replaced by each model from the
 * bucket. Without a file it waits for the bucket's first model, or returns null when
 * `signal` fires first.
 */
async function startModels(
  fleet: FleetConnection,
  settings: ConsumeSettings,
  fileModel: ScoringModel | undefined,
  signal: Promise<string>,
  logger: FleetLogger,
): Promise<{ models: ModelHolder; watch?: ModelWatch } | null> {
  if (!settings.modelBucket) return { models: { current: fileModel as ScoringModel } };

  const models: Partial<ModelHolder> = fileModel ? { current: fileModel } : {};
  const watch = await watchModels(fleet, {
    bucket: settings.modelBucket,
    key: settings.modelKey,
    decode: (bytes) => AnomalyModel.fromBytes(bytes),
    onModel: (model) => (models.current = model),
    logger,
  });
  if (!fileModel) {
    const { modelBucket: bucket, modelKey: key } = settings;
    logger.info({ bucket, key }, "waiting for a model");
    const first = await Promise.race([watch.first, signal]);
    if (typeof first === "string") {
      watch.stop();
      return null;
    }
  }
  return { models: models as ModelHolder, watch };
}

function parseSettings(values: ParsedOptions): ConsumeSettings {
  const modelPath = stringOption(values, "model");
  const modelBucket = stringOption(values, "model-bucket");
  if (!modelPath && !modelBucket) {
    throw new UsageError(
      "sigh consume: missing option --model FILE or --model-bucket NAME",
    );
  }
  const stream = stringOption(values, "stream") ?? "ORDERS";
  const subjects = stringOption(values, "subjects");
  const integer = (name: string, fallback: number, min = 1) => {
    const raw = stringOption(values, name);
    return raw === undefined ? fallback : numberOption(name, raw, { integer: true, min });
  };
  const duplicateWindowS = integer("duplicate-window", DEFAULT_DUPLICATE_WINDOW_MS / 1000);
  const topology: FleetTopology = {
    eventStream: stream,
    eventSubjects: subjects
      ? subjects.split(",").map((subject) => subject.trim())
      : defaultEventSubjects(stream),
    consumer: stringOption(values, "consumer") ?? "scorers",
    resultsStream: stringOption(values, "results-stream") ?? "SIGH_RESULTS",
    deadLetterStream: stringOption(values, "dead-letter-stream") ?? "SIGH_DEAD",
    ackWaitSeconds: integer("ack-wait", 5),
    maxDeliver: integer("max-deliver", 5),
    maxAckPending: integer("max-ack-pending", 1000),
    duplicateWindowMs: duplicateWindowS * 1000,
  };
  return {
    url: stringOption(values, "nats") ?? "nats://127.0.0.1:4222",
    topology,
    modelPath,
    modelBucket,
    modelKey: stringOption(values, "model-key") ?? DEFAULT_MODEL_KEY,
    idField: stringOption(values, "id-field") ?? "order_id",
    batch: integer("batch", 64),
  };
}

/**
 * Returns a promise that resolves with the signal name on the first SIGTERM or SIGINT.
 * Both handlers are removed then, so a second signal ends the process at once.
 */
function stopSignal(): { signal: Promise<string>; dispose(): void } {
  let resolveSignal: (name: string) => void = () => {};
  const signal = new Promise<string>((resolve) => (resolveSignal = resolve));
  const dispose = () => {
    process.removeListener("SIGTERM", onSignal);
    process.removeListener("SIGINT", onSignal);
  };
  const onSignal = (name: NodeJS.Signals) => {
    dispose();
    resolveSignal(name);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return { signal, dispose };
}
