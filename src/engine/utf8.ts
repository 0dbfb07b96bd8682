/**
 * UTF-8 through the WHATWG TextEncoder and TextDecoder, which browsers, Node, Deno and
 * Bun all provide. Typed here because the engine is checked without the DOM library.
 */

interface Encoder {
  encode(text: string): Uint8Array;
}
interface Decoder {
  decode(bytes: Uint8Array): string;
}
interface Codecs {
  TextEncoder: new () => Encoder;
  TextDecoder: new (label: string, options: { fatal: boolean }) => Decoder;
}

const codecs = globalThis as unknown as Codecs;

export function encodeUtf8(text: string): Uint8Array {
  return new codecs.TextEncoder().encode(text);
}

/** Decodes strict UTF-8; throws TypeError on invalid bytes. */
export function decodeUtf8(bytes: Uint8Array): string {
  return new codecs.TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
