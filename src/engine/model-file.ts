/**
 * The model file: bytes that any JavaScript runtime can write and read.
 *
 * Layout (little-endian):
 *   0   8 bytes  magic "SIGHMDL\0"
 *   8   u32      format version
 *   12  u32      header length H in bytes
 *   16  H bytes  header, UTF-8 JSON: parameters, features, scaler, profiles, summary
 *   ..  zero padding to a multiple of 8
 *   ..  f64[m·d] core samples, scaled, row-major, full precision
 *   ..  f64[m]   k-distance of each core sample
 *   ..  i32[m]   cluster of each core sample
 *   ..  u32      CRC-32 of every byte before it
 */

import { crc32 } from "./crc32.js";
import { ModelFileError } from "./errors.js";
import type { FeatureSpec } from "./features.js";
import type { ScalerState } from "./scaler.js";
import type { ClusterProfile, TrainingSummary } from "./types.js";
import { decodeUtf8, encodeUtf8 } from "./utf8.js";

export const MODEL_FORMAT_VERSION = 1;
const MAGIC = [0x53, 0x49, 0x47, 0x48, 0x4d, 0x44, 0x4c, 0x00];
const PREFIX_BYTES = 16;

/** Everything a fitted model needs to score, as plain data. */
export interface ModelData {
  features: FeatureSpec[];
  scaler: ScalerState;
  eps: number;
  epsMethod: string;
  minSamples: number;
  clusters: ClusterProfile[];
  noise: ClusterProfile;
  overall: ClusterProfile;
  summary: TrainingSummary;
  coreSamples: Float64Array;
  coreDensities: Float64Array;
  coreLabels: Int32Array;
}

type Header = Omit<ModelData, "coreSamples" | "coreDensities" | "coreLabels"> & {
  format: "sigh-model";
  coreCount: number;
  dims: number;
};

/** Serializes a model. O(m·d) for m core samples. */
export function encodeModel(data: ModelData): Uint8Array {
  const dims = data.features.length;
  const coreCount = data.coreLabels.length;
  const { coreSamples, coreDensities, coreLabels, ...rest } = data;
  const header: Header = { format: "sigh-model", coreCount, dims, ...rest };
  const json = encodeUtf8(JSON.stringify(header));

  const bodyStart = align8(PREFIX_BYTES + json.length);
  const samplesBytes = coreCount * dims * 8;
  const total = bodyStart + samplesBytes + coreCount * 8 + coreCount * 4 + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, MODEL_FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, PREFIX_BYTES);

  let at = bodyStart;
  for (let i = 0; i < coreCount * dims; i++, at += 8) view.setFloat64(at, coreSamples[i], true);
  for (let i = 0; i < coreCount; i++, at += 8) view.setFloat64(at, coreDensities[i], true);
  for (let i = 0; i < coreCount; i++, at += 4) view.setInt32(at, coreLabels[i], true);
  view.setUint32(at, crc32(bytes.subarray(0, at)), true);
  return bytes;
}

/**
 * Reads a model written by `encodeModel`.
 *
 * @throws ModelFileError for bytes that are not a model file, of another format
 *   version, truncated, or corrupt (checksum or header mismatch).
 */
export function decodeModel(bytes: Uint8Array): ModelData {
  if (bytes.length < PREFIX_BYTES + 4) {
    throw new ModelFileError(
      `model file is truncated: ${bytes.length} bytes, less than the ${PREFIX_BYTES + 4}-byte minimum`,
    );
  }
  if (!MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ModelFileError("not a sigh model file: the first bytes are not SIGHMDL");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== MODEL_FORMAT_VERSION) {
    throw new ModelFileError(
      `model file format version ${version} is not supported; this sigh reads version ${MODEL_FORMAT_VERSION}`,
    );
  }
  const headerLength = view.getUint32(12, true);
  const header = readHeader(bytes, headerLength);
  const { coreCount, dims } = header;
  if (coreCount === 0) {
    throw new ModelFileError("model file has no core samples, so it cannot score; train it again");
  }
  const bodyStart = align8(PREFIX_BYTES + headerLength);
  const expected = bodyStart + coreCount * dims * 8 + coreCount * 12 + 4;
  if (bytes.length < expected) {
    throw new ModelFileError(`model file is truncated: ${bytes.length} bytes, expected ${expected}`);
  }
  if (bytes.length > expected) {
    throw new ModelFileError(`model file is corrupt: ${bytes.length} bytes, expected ${expected}`);
  }
  const stored = view.getUint32(expected - 4, true);
  if (crc32(bytes.subarray(0, expected - 4)) !== stored) {
    throw new ModelFileError("model file is corrupt: its checksum does not match its contents");
  }

  let at = bodyStart;
  const coreSamples = new Float64Array(coreCount * dims);
  for (let i = 0; i < coreSamples.length; i++, at += 8) coreSamples[i] = view.getFloat64(at, true);
  const coreDensities = new Float64Array(coreCount);
  for (let i = 0; i < coreCount; i++, at += 8) coreDensities[i] = view.getFloat64(at, true);
  const coreLabels = new Int32Array(coreCount);
  for (let i = 0; i < coreCount; i++, at += 4) coreLabels[i] = view.getInt32(at, true);

  const { format: _format, coreCount: _count, dims: _dims, ...rest } = header;
  return { ...rest, coreSamples, coreDensities, coreLabels };
}

function readHeader(bytes: Uint8Array, length: number): Header {
  if (PREFIX_BYTES + length + 4 > bytes.length) {
    throw new ModelFileError(
      `model file is truncated: its header needs ${length} bytes, ${bytes.length - PREFIX_BYTES} remain`,
    );
  }
  let header: Header;
  try {
    const text = decodeUtf8(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + length));
    header = JSON.parse(text) as Header;
  } catch (error) {
    throw new ModelFileError(`model file is corrupt: its header is not valid JSON (${(error as Error).message})`);
  }
  const valid =
    header !== null &&
    typeof header === "object" &&
    header.format === "sigh-model" &&
    Number.isInteger(header.coreCount) &&
    header.coreCount >= 0 &&
    Number.isInteger(header.dims) &&
    header.dims > 0 &&
    Array.isArray(header.features) &&
    header.features.length === header.dims &&
    Array.isArray(header.clusters) &&
    header.scaler !== undefined &&
    typeof header.eps === "number" &&
    typeof header.minSamples === "number";
  if (!valid) throw new ModelFileError("model file is corrupt: its header lacks required fields");
  return header;
}

/**
 * Returns eight hex digits identifying a model by content: the checksum of its file
 * bytes with the training time and duration left out.
 */
export function modelContentId(data: ModelData): string {
  const timeless = { ...data, summary: { ...data.summary, trainedAt: "", fitMillis: 0 } };
  const bytes = encodeModel(timeless);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(bytes.length - 4, true).toString(16).padStart(8, "0");
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
