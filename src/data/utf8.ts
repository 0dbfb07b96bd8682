/** Strict UTF-8 decoding of a byte stream: invalid bytes are an error naming their line. */

import { InputError } from "../engine/errors.js";

const NEWLINE = 0x0a;

export class Utf8Reader {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  /** Newlines in the bytes decoded so far. */
  private newlines = 0;

  /** @param name the file name used in messages */
  constructor(private readonly name: string) {}

  /**
   * Decodes the next chunk; a character split across chunks is completed by the next.
   *
   * @throws InputError naming the line of the first invalid byte sequence
   */
  decode(chunk: Uint8Array): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.invalid(countNewlines(chunk, firstInvalidByte(chunk)));
    }
    this.newlines += countNewlines(chunk, chunk.length);
    return text;
  }

  /** Flushes the decoder; a character cut off by the end of the input is an error. */
  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw this.invalid(0);
    }
  }

  private invalid(newlinesInChunk: number): InputError {
    const line = this.newlines + newlinesInChunk + 1;
    return new InputError(
      `${this.name}:${line}: invalid UTF-8 bytes (save the file as UTF-8 and try again)`,
      { file: this.name, line },
    );
  }
}

/** Returns the length of the UTF-8 sequence that lead byte `b` starts, 0 if it starts none. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b < 0xe0) return 2;
  if (b >= 0xe0 && b < 0xf0) return 3;
  if (b >= 0xf0 && b < 0xf5) return 4;
  return 0;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0 && i < end; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/**
 * Returns the offset of the first byte that starts an invalid UTF-8 sequence, or the
 * chunk's length when the problem is a sequence begun in an earlier chunk.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = sequenceLength(b);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return bytes.length;
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return bytes.length;
}
