/** Reading and writing model files, with errors that name the path. */

import { readFile } from "node:fs/promises";
import { AnomalyModel, ModelFileError } from "./engine.js";
import { writeFileCreatingFolders } from "./output.js";

/**
 * Loads a model saved by `sigh train` or `toBytes()`. Throws `ModelFileError` naming the
 * path when the file is missing, unreadable or not a valid model.
 */
export async function loadModel(path: string): Promise<AnomalyModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : `cannot read it (${code ?? error})`;
    throw new ModelFileError(`model file ${path}: ${reason}`);
  }
  try {
    return AnomalyModel.fromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (error) {
    if (error instanceof ModelFileError) {
      throw new ModelFileError(`${path}: ${error.message}`);
    }
    throw error;
  }
}

/** Saves `model` to `path`, creating missing folders. */
export async function saveModel(path: string, model: AnomalyModel): Promise<void> {
  await writeFileCreatingFolders(path, model.toBytes());
}
