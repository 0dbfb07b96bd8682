/** Writing to stdout and to files, respecting stream backpressure. */

import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** Writes `text` and waits for `drain` when the stream's buffer is full. */
export async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/**
 * Writes lines in chunks of about 64 KiB, so a large output neither builds one huge
 * string nor issues one write per line.
 */
export async function writeLines(
  stream: NodeJS.WritableStream,
  lines: Iterable<string>,
): Promise<void> {
  let chunk = "";
  for (const line of lines) {
    chunk += line + "\n";
    if (chunk.length >= 65536) {
      await write(stream, chunk);
      chunk = "";
    }
  }
  if (chunk) await write(stream, chunk);
}

/** Writes a file, creating its folder first. */
export async function writeFileCreatingFolders(
  path: string,
  data: string | Uint8Array,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

/** Resolves `path` against the command's working folder. */
export function resolvePath(cwd: string, path: string): string {
  return resolve(cwd, path);
}
