/**
 * Shared setup for the serve tests: a small model, services on loopback ports, a log
 * capture, and request helpers.
 */

import { mkdtempSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { defaultSettings, type ServeSettings } from "../src/serve/prepare.js";
import { createService, type Service, type ServiceOptions } from "../src/serve/server.js";
import { decodeModel, encodeModel, trainModel } from "./serve-model.js";

export { decodeModel, encodeModel, trainModel };

/** Returns a normal Bob's Burgers order, close to the centre of the lunch cluster. */
export function normalOrder(id?: string): Record<string, unknown> {
  const order: Record<string, unknown> = {
    items_per_order: 3,
    time_since_last_order: 1440,
    order_time: 12.5,
    customer_frequency: 1,
    total_cost: 25,
    prep_time_estimate: 12,
  };
  if (id !== undefined) order.order_id = id;
  return order;
}

/** Returns an order far from every cluster: huge, expensive, at 4 a.m. */
export function anomalousOrder(id?: string, scale = 1): Record<string, unknown> {
  const order: Record<string, unknown> = {
    items_per_order: 40 * scale,
    time_since_last_order: 2,
    order_time: 4,
    customer_frequency: 30,
    total_cost: 900 * scale,
    prep_time_estimate: 95,
  };
  if (id !== undefined) order.order_id = id;
  return order;
}

/** Collects pino JSON lines in memory. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  readonly logger: Logger;

  constructor() {
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString("utf8").split("\n")) {
          if (line.trim() !== "") this.lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    this.logger = pino({ level: "debug" }, stream);
  }

  withMessage(text: string): Record<string, unknown>[] {
    return this.lines.filter((line) => String(line.msg).includes(text));
  }
}

export interface TestServer {
  service: Service;
  url: string;
  dir: string;
  modelPath: string;
  logs: LogCapture;
  stop(): Promise<void>;
}

export interface TestServerOptions extends Partial<Omit<ServiceOptions, "settings">> {
  settings?: Partial<ServeSettings>;
  /** Listen before loading the model (to see /readyz before it is ready). */
  skipLoad?: boolean;
  /** Called before listening, for example to add a test hook to the fastify instance. */
  beforeListen?: (service: Service) => void;
}

/** Writes a model file in a fresh temp folder and serves it on 127.0.0.1, port 0. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "sigh-serve-"));
  const modelPath = join(dir, "model.sigh");
  writeFileSync(modelPath, encodeModel(trainModel()));
  const logs = new LogCapture();
  const service = createService({
    decode: decodeModel,
    log: logs.logger,
    processMetrics: false,
    drainTimeoutMs: 2000,
    ...options,
    modelPath: options.modelPath ?? modelPath,
    settings: defaultSettings(options.settings),
  });
  options.beforeListen?.(service);
  const url = await service.app.listen({ port: 0, host: "127.0.0.1" });
  if (!options.skipLoad) await service.loadModel();
  return {
    service, url, dir, modelPath, logs,
    async stop() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Replaces `path` atomically: write a temp file beside it, then rename over it. */
export function replaceAtomically(path: string, bytes: Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
}

export interface JsonResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  contentType: string | null;
}

/** POSTs `body` (an object to encode, or a raw string) and parses the JSON response. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<JsonResponse> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(url, { method: "POST", headers, body: raw });
  return readJson(response);
}

export async function get(url: string): Promise<JsonResponse> {
  return readJson(await fetch(url));
}

async function readJson(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  const contentType = response.headers.get("content-type");
  let body: unknown = text;
  if (contentType?.includes("json")) body = JSON.parse(text);
  return { status: response.status, body, contentType };
}

/** Waits until `check` returns true, polling every 20 ms, or fails after `timeoutMs`. */
export async function waitFor(
  description: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads one sample value from Prometheus text, or undefined when absent. */
export function metricValue(text: string, name: string, labels = ""): number | undefined {
  const prefix = labels === "" ? `${name} ` : `${name}{${labels}} `;
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}
