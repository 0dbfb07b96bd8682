/**
 * Watches the model key of the model bucket and hands each new valid model to the caller,
 * so a running scoring process switches models without a restart. A model that fails
 * to load is rejected and logged, and the previous model keeps scoring.
 */

import type { KvWatchEntry } from "@nats-io/kv";
import type { FleetConnection } from "./connect.js";
import { messageOf } from "./connect.js";
import type { ModelDecoder, ScoringModel } from "./events.js";
import type { FleetLogger } from "./log.js";
import {
  fetchModel,
  openModelBucket,
  parseManifest,
  type ModelManifest,
} from "./model-store.js";

export interface ModelWatchOptions {
  bucket: string;
  key: string;
  decode: ModelDecoder;
  /** Called with each model that loaded; the first call comes from the stored model. */
  onModel: (model: ScoringModel, manifest: ModelManifest) => void;
  logger: FleetLogger;
}

export interface ModelWatch {
  /** Resolves with the first model that loads; waits while the bucket contains none. */
  first: Promise<ScoringModel>;
  /** Count of models that failed to load. */
  readonly rejected: number;
  stop(): void;
}

/** Opens the bucket (creating it if needed) and starts watching the model key. */
export async function watchModels(
  fleet: FleetConnection,
  options: ModelWatchOptions,
): Promise<ModelWatch> {
  const { bucket, key, decode, logger } = options;
  const kv = await openModelBucket(fleet, bucket);
  const watcher = await kv.watch({ key });

  let resolveFirst!: (model: ScoringModel) => void;
  const first = new Promise<ScoringModel>((resolve) => (resolveFirst = resolve));
  let loadedSha = "";
  const state = { rejected: 0 };

  const load = async (entry: KvWatchEntry) => {
    if (entry.operation !== "PUT") {
      logger.warn(
        { bucket, key, operation: entry.operation },
        "model key removed; keeping the current model",
      );
      return;
    }
    try {
      const manifest = parseManifest(entry.value);
      if (manifest.sha256 === loadedSha) return;
      const model = await fetchModel(kv, manifest, decode);
      loadedSha = manifest.sha256;
      options.onModel(model, manifest);
      resolveFirst(model);
      logger.info(
        {
          bucket,
          key,
          modelId: model.modelId,
          revision: entry.revision,
          bytes: manifest.size,
        },
        "model loaded",
      );
    } catch (error) {
      state.rejected++;
      logger.error(
        { bucket, key, revision: entry.revision, err: messageOf(error) },
        "model rejected; the previous model keeps scoring",
      );
    }
  };

  void (async () => {
    for await (const entry of watcher) await load(entry);
  })().catch((error) => {
    logger.error({ err: messageOf(error), bucket }, "model watch failed");
  });

  return {
    first,
    get rejected() {
      return state.rejected;
    },
    stop: () => watcher.stop(),
  };
}
