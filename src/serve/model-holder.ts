/**
 * Holds the model being served and replaces it atomically. A reload reads and decodes the
 * new file in the background, compiles its request schema, and only then swaps one
 * reference, so a request gets either the old model or the new one, never a mix. A file
 * that cannot be read or decoded is rejected, logged and counted, and the old model keeps
 * serving.
 *
 * `watch()` follows the model file with `fs.watch` on its folder, which also detects a file
 * replaced by rename (the atomic way to publish a model), and debounces bursts of events.
 */

import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import type { BaseLogger } from "pino";
import type { FeatureSpec } from "../engine/features.js";
import type {
  ClusterProfile,
  EventRecord,
  ScaleMode,
  ScoreResult,
  TrainingSummary,
} from "../engine/types.js";
import type { ReloadOutcome } from "./metrics.js";

/** The part of the engine's `AnomalyModel` that the service uses. */
export interface ServableModel {
  readonly features: readonly FeatureSpec[];
  readonly featureNames: readonly string[];
  readonly eps: number;
  readonly minSamples: number;
  readonly scale: ScaleMode;
  readonly threshold: number;
  readonly modelId: string;
  readonly clusters: readonly ClusterProfile[];
  readonly noiseProfile: ClusterProfile;
  readonly summary: TrainingSummary;
  score(record: EventRecord): ScoreResult;
}

/** Turns model file bytes into a model; throws (ModelFileError) on a bad file. */
export type ModelDecoder = (bytes: Uint8Array) => ServableModel;

/** A model together with what the service derived from it when it was loaded. */
export interface LoadedModel<Extra> {
  model: ServableModel;
  /** 1 for the first model loaded, then one more per swap. */
  version: number;
  loadedAt: string;
  /** Origin of the model: a file path, or a description for in-memory models. */
  source: string;
  fileBytes: number;
  extra: Extra;
}

export interface ModelHolderOptions<Extra> {
  decode: ModelDecoder;
  /** Derives per-model state (compiled schema, thresholds); a throw rejects the model. */
  prepare: (model: ServableModel) => Extra;
  log: BaseLogger;
  onReload?: (outcome: ReloadOutcome, loaded: LoadedModel<Extra> | undefined) => void;
  /** Quiet time after the last file event before reloading, in ms. Default 200. */
  debounceMs?: number;
}

export class ModelHolder<Extra> {
  private loaded: LoadedModel<Extra> | undefined;
  private readonly options: ModelHolderOptions<Extra>;
  private running: Promise<ReloadOutcome> | undefined;
  private again = false;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private path: string | undefined;

  constructor(options: ModelHolderOptions<Extra>) {
    this.options = options;
  }

  /** The model to use for a request; read it once per request. */
  get current(): LoadedModel<Extra> | undefined {
    return this.loaded;
  }

  /** Serves an in-memory model (tests, embedding). Throws when `prepare` rejects it. */
  install(model: ServableModel, source = "in-memory", fileBytes = 0): LoadedModel<Extra> {
    const extra = this.options.prepare(model);
    const version = (this.loaded?.version ?? 0) + 1;
    const loaded = { model, version, loadedAt: new Date().toISOString(), source, fileBytes, extra };
    this.loaded = loaded;
    return loaded;
  }

  /** Loads the first model from `path`. Throws, naming the file, when it cannot. */
  async load(path: string): Promise<LoadedModel<Extra>> {
    this.path = resolve(path);
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === "ENOENT" ? "file not found" : String(error);
      throw new Error(`cannot read model file ${this.path}: ${reason}`, { cause: error });
    }
    const model = this.decodeFile(bytes);
    const loaded = this.install(model, this.path, bytes.length);
    this.options.log.info(
      { modelId: model.modelId, version: loaded.version, path: this.path, bytes: bytes.length },
      "model loaded",
    );
    this.options.onReload?.("swapped", loaded);
    return loaded;
  }

  /**
   * Reloads the model file. A bad file does not throw: the outcome is "swapped",
   * "unchanged" (same model id) or "failed" (logged, and the old model stays). A call during a reload runs once
   * more after it, so the last change of the file is always picked up.
   */
  reload(reason: string): Promise<ReloadOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.reloadOnce(reason).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reload(`${reason} (changed again during the reload)`);
      }
    });
    return this.running;
  }

  /** Waits for a reload in progress, if any. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async reloadOnce(reason: string): Promise<ReloadOutcome> {
    const { log, onReload } = this.options;
    const path = this.path;
    const old = this.loaded;
    if (!path) throw new Error("reload() needs load(path) first");
    log.info({ path, reason, modelId: old?.model.modelId }, "model reload started");
    try {
      const bytes = await readFile(path);
      const model = this.decodeFile(bytes);
      if (old && model.modelId === old.model.modelId) {
        log.info({ path, modelId: model.modelId, reason }, "model reload: same model id, kept");
        onReload?.("unchanged", old);
        return "unchanged";
      }
      const loaded = this.install(model, path, bytes.length);
      log.info(
        { path, reason, modelId: model.modelId, version: loaded.version,
          previousModelId: old?.model.modelId, bytes: bytes.length },
        "model reloaded",
      );
      onReload?.("swapped", loaded);
      return "swapped";
    } catch (error) {
      log.error(
        { path, reason, err: error, servingModelId: old?.model.modelId },
        "model reload failed; the previous model keeps serving",
      );
      onReload?.("failed", old);
      return "failed";
    }
  }

  private decodeFile(bytes: Buffer): ServableModel {
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    try {
      return this.options.decode(view);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot load model file ${this.path}: ${message}`, { cause: error });
    }
  }

  /** Reloads whenever the model file changes or is replaced. */
  watch(): void {
    if (!this.path || this.watcher) return;
    const folder = dirname(this.path);
    const name = basename(this.path);
    this.watcher = watch(folder, { persistent: false }, (_event, filename) => {
      if (filename === null || filename === name) this.scheduleReload();
    });
    this.watcher.on("error", (error) => {
      this.options.log.error({ err: error, folder }, "model file watcher failed; use SIGHUP");
    });
    this.options.log.info({ path: this.path }, "watching the model file");
  }

  private scheduleReload(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.reload("model file changed");
    }, this.options.debounceMs ?? 200);
  }

  /** Stops watching and waits for a reload in progress. */
  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    await this.settled();
  }
}
