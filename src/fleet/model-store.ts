/**
 * Model files in a JetStream key-value bucket, so a running fleet can pick up a new model.
 *
 * Layout in the bucket (default `sigh-models`):
 *   `<key>`                    JSON manifest of the newest model (default key `current`)
 *   `chunk.<digest>.<i>`       the model file in pieces of at most `chunkBytes` bytes
 *
 * A model file may be larger than the server's maximum message size (1 MiB by default),
 * so it is split into pieces. The pieces are written before the manifest. A reader checks
 * the size and SHA-256 of the reassembled file, so a half-written upload is not loaded.
 */

import { createHash } from "node:crypto";
import { Kvm, type KV } from "@nats-io/kv";
import type { FleetConnection } from "./connect.js";
import type { ModelDecoder, ScoringModel } from "./events.js";

export const DEFAULT_MODEL_BUCKET = "sigh-models";
export const DEFAULT_MODEL_KEY = "current";

/** Largest piece of a model file stored as one value, in bytes. */
const MAX_CHUNK_BYTES = 256 * 1024;

/** Characters of the SHA-256 hex digest used in piece keys. */
const DIGEST_KEY_LENGTH = 32;

/** The value stored under the model key. */
export interface ModelManifest {
  modelId: string;
  /** Hex SHA-256 of the whole model file. */
  sha256: string;
  size: number;
  chunks: number;
  featureNames: string[];
  publishedAt: string;
}

/** Opens the bucket, creating it (one revision per key) when it does not exist. */
export async function openModelBucket(fleet: FleetConnection, bucket: string): Promise<KV> {
  const kvm = new Kvm(fleet.js);
  return kvm.create(bucket, { history: 1 });
}

/**
 * Decodes `bytes` with `decode` (so a corrupt file is rejected before upload), writes its
 * pieces and then the manifest under `key`. Pieces of models older than the previous one
 * are deleted afterwards. Returns the manifest written.
 */
export async function publishModel(
  fleet: FleetConnection,
  bytes: Uint8Array,
  decode: ModelDecoder,
  options: { bucket?: string; key?: string } = {},
): Promise<ModelManifest> {
  const model = decode(bytes);
  const kv = await openModelBucket(fleet, options.bucket ?? DEFAULT_MODEL_BUCKET);
  const key = options.key ?? DEFAULT_MODEL_KEY;
  const previous = await readManifest(kv, key);

  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const chunkBytes = Math.min(MAX_CHUNK_BYTES, fleet.maxPayload - 1024);
  const chunks = Math.max(1, Math.ceil(bytes.length / chunkBytes));
  for (let i = 0; i < chunks; i++) {
    const piece = bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes);
    await kv.put(chunkKey(sha256, i), piece);
  }

  const manifest: ModelManifest = {
    modelId: model.modelId,
    sha256,
    size: bytes.length,
    chunks,
    featureNames: [...model.featureNames],
    publishedAt: new Date().toISOString(),
  };
  await kv.put(key, JSON.stringify(manifest));

  // Keep the previous model's pieces: a process may be reading them right now.
  const digests = [sha256, previous?.sha256];
  const keep = new Set(digests.map((digest) => digest?.slice(0, DIGEST_KEY_LENGTH)));
  await deleteOtherChunks(kv, keep);
  return manifest;
}

/** Returns the manifest under `key`, or null when the key is missing or deleted. */
export async function readManifest(kv: KV, key: string): Promise<ModelManifest | null> {
  const entry = await kv.get(key);
  if (!entry || entry.operation !== "PUT") return null;
  return parseManifest(entry.value);
}

/** Parses and checks a manifest; throws an error naming the bad field. */
export function parseManifest(value: Uint8Array): ModelManifest {
  let parsed: Partial<ModelManifest>;
  try {
    parsed = JSON.parse(new TextDecoder().decode(value));
  } catch {
    throw new Error("invalid model manifest: not JSON");
  }
  const ok =
    typeof parsed.sha256 === "string" && /^[0-9a-f]{64}$/.test(parsed.sha256) &&
    Number.isInteger(parsed.size) && Number.isInteger(parsed.chunks) &&
    (parsed.chunks ?? 0) >= 1 && typeof parsed.modelId === "string";
  if (!ok) {
    throw new Error("invalid model manifest: missing or malformed sha256, size or chunks");
  }
  return parsed as ModelManifest;
}

/**
 * Reassembles the model file a manifest describes, checks its size and SHA-256, and
 * decodes it. Throws when a piece is missing or the content does not match.
 */
export async function fetchModel(
  kv: KV,
  manifest: ModelManifest,
  decode: ModelDecoder,
): Promise<ScoringModel> {
  const bytes = new Uint8Array(manifest.size);
  let offset = 0;
  for (let i = 0; i < manifest.chunks; i++) {
    const entry = await kv.get(chunkKey(manifest.sha256, i));
    if (!entry || entry.operation !== "PUT") {
      throw new Error(`model piece ${i + 1} of ${manifest.chunks} is missing`);
    }
    if (offset + entry.value.length > bytes.length) {
      throw new Error(`model pieces exceed the manifest size of ${manifest.size} bytes`);
    }
    bytes.set(entry.value, offset);
    offset += entry.value.length;
  }
  if (offset !== manifest.size) {
    throw new Error(`model pieces contain ${offset} bytes, expected ${manifest.size}`);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== manifest.sha256) {
    throw new Error(`model checksum mismatch: got ${sha256}, expected ${manifest.sha256}`);
  }
  return decode(bytes);
}

function chunkKey(sha256: string, index: number): string {
  return `chunk.${sha256.slice(0, DIGEST_KEY_LENGTH)}.${index}`;
}

async function deleteOtherChunks(kv: KV, keep: Set<string | undefined>): Promise<void> {
  const stale: string[] = [];
  for await (const key of await kv.keys("chunk.>")) {
    const digest = key.split(".")[1];
    if (!keep.has(digest)) stale.push(key);
  }
  for (const key of stale) await kv.purge(key);
}
