/** `sigh serve`: the HTTP scoring service. */

import { statSync } from "node:fs";
import { InputError, UsageError } from "../../engine/errors.js";
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_ID_FIELDS,
  DEFAULT_MAX_BATCH,
  defaultSettings,
} from "../../serve/prepare.js";
import { defaultReviewDbPath } from "../../serve/review-store.js";
import { startServer } from "../../serve/server.js";
import { pino } from "pino";
import {
  choiceOption,
  missingArgument,
  numberOption,
  parseCommandLine,
  stringOption,
} from "../args.js";
import type { CliIo, Command } from "../command.js";
import { AnomalyModel } from "../engine.js";
import { resolvePath } from "../output.js";

const usage = `Usage: sigh serve --model FILE [options]

Serves the model over HTTP: POST /v1/score scores one event (a JSON object) or a batch
(an array) and recommends an action, allow, review or throttle. Flagged events are
logged, stored in a review database and, with --webhook, sent to a webhook. Logs are
JSON lines on stdout. SIGHUP or a change of FILE reloads the model; SIGTERM or SIGINT
shuts down after finishing in-flight requests.

Options:
  --model FILE              model saved by "sigh train" (required)
  --port N                  TCP port; 0 picks a free one (default 8080)
  --host ADDRESS            address to listen on (default 127.0.0.1)
  --review-db FILE          review database (default FILE.review.db beside the model)
  --webhook URL             POST each flagged event as JSON to URL, with retries
  --webhook-attempts N      attempts per flagged event, the first included (default 5)
  --webhook-queue N         flagged events waiting for the webhook at most; more are
                            counted and logged as lost (default 1000)
  --review-threshold X      score above which the action is "review"
                            (default: the model's threshold, where isAnomaly starts)
  --throttle-threshold Y    score above which the action is "throttle"
                            (default: twice the review threshold)
  --strict                  reject events with fields that are neither features nor
                            id fields (default: ignore such fields)
  --id-field NAME[,NAME]    fields that carry the event id, first present wins
                            (default ${DEFAULT_ID_FIELDS.join(",")})
  --body-limit BYTES        largest request body accepted (default ${DEFAULT_BODY_LIMIT})
  --max-batch N             most events in one request (default ${DEFAULT_MAX_BATCH})
  --no-watch                do not reload when the model file changes (SIGHUP still does)
  --log-level LEVEL         debug, info, warn or error (default info); rejected
                            requests are logged at info, anomalies at warn

Endpoints: POST /v1/score, GET /v1/model, GET /healthz, GET /readyz, GET /metrics,
GET /v1/review, GET /v1/review/ID, POST /v1/review/ID. See docs/serve.md.
`;

export const command: Command = {
  name: "serve",
  summary: "serve a model over HTTP with actions, alerts and a review queue",
  usage,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine("serve", args, {
    model: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    "review-db": { type: "string" },
    webhook: { type: "string" },
    "webhook-attempts": { type: "string" },
    "webhook-queue": { type: "string" },
    "review-threshold": { type: "string" },
    "throttle-threshold": { type: "string" },
    strict: { type: "boolean" },
    "id-field": { type: "string" },
    "body-limit": { type: "string" },
    "max-batch": { type: "string" },
    "no-watch": { type: "boolean" },
    "log-level": { type: "string" },
  }, 0);
  const modelOption = stringOption(values, "model");
  if (modelOption === undefined) throw missingArgument("serve", "option --model FILE");
  const modelPath = resolvePath(io.cwd, modelOption);
  const reviewDb = stringOption(values, "review-db");
  const webhookUrl = stringOption(values, "webhook");

  const settings = defaultSettings({
    strict: values.strict === true,
    idFields: parseIdFields(stringOption(values, "id-field")),
    thresholds: parseThresholds(values),
    bodyLimit: optionalNumber(values, "body-limit", { integer: true, min: 64 }) ?? DEFAULT_BODY_LIMIT,
    maxBatch: optionalNumber(values, "max-batch", { integer: true, min: 1 }) ?? DEFAULT_MAX_BATCH,
  });
  const webhook = webhookUrl === undefined ? undefined : {
    url: parseWebhookUrl(webhookUrl),
    maxAttempts: optionalNumber(values, "webhook-attempts", { integer: true, min: 1, max: 20 }),
    queueSize: optionalNumber(values, "webhook-queue", { integer: true, min: 1 }),
  };

  const level = choiceOption("log-level", stringOption(values, "log-level") ?? "info",
    ["debug", "info", "warn", "error"]);
  const log = pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, io.stdout);
  // Checked before anything starts, so a wrong path leaves no review database behind.
  if (!statSync(modelPath, { throwIfNoEntry: false })?.isFile()) {
    throw new InputError(`${modelPath}: model file not found (or not a file)`, { file: modelPath });
  }
  const { stopped } = await startServer(
    {
      modelPath,
      decode: (bytes) => AnomalyModel.fromBytes(bytes),
      settings,
      reviewDb: reviewDb === undefined ? defaultReviewDbPath(modelPath) : resolvePath(io.cwd, reviewDb),
      webhook,
      log,
      watch: values["no-watch"] !== true,
    },
    {
      port: optionalNumber(values, "port", { integer: true, min: 0, max: 65535 }) ?? 8080,
      host: stringOption(values, "host") ?? "127.0.0.1",
    },
  );
  await stopped;
  return 0;
}

function optionalNumber(
  values: Record<string, string | boolean | undefined>,
  name: string,
  rule: Parameters<typeof numberOption>[2],
): number | undefined {
  const raw = stringOption(values, name);
  return raw === undefined ? undefined : numberOption(name, raw, rule);
}

function parseThresholds(values: Record<string, string | boolean | undefined>) {
  const review = optionalNumber(values, "review-threshold", {});
  const throttle = optionalNumber(values, "throttle-threshold", {});
  if (review !== undefined && throttle !== undefined && throttle < review) {
    throw new UsageError(
      `--throttle-threshold ${throttle} is below --review-threshold ${review};` +
        " throttle must be the higher score",
    );
  }
  return { review, throttle };
}

function parseIdFields(raw: string | undefined): readonly string[] {
  if (raw === undefined) return DEFAULT_ID_FIELDS;
  const fields = raw.split(",").map((field) => field.trim());
  if (fields.some((field) => field === "")) {
    throw new UsageError(`invalid value ${JSON.stringify(raw)} for --id-field: empty field name`);
  }
  return fields;
}

function parseWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid value ${JSON.stringify(raw)} for --webhook: not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `invalid value ${JSON.stringify(raw)} for --webhook: expected an http:// or https:// URL`,
    );
  }
  return url.href;
}
