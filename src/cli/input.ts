/** Loading a CSV file or stdin into a feature matrix, with a progress bar on stderr. */

import { stat } from "node:fs/promises";
import type { CliIo } from "./command.js";
import { CsvDataSource, type LoadedMatrix } from "./data.js";
import { InputError, UsageError, quote, valueProblem } from "./engine.js";
import { ProgressBar } from "./progress.js";
import { resolvePath } from "./output.js";

export interface CsvRequest {
  /** File path, or "-" for stdin. */
  path: string;
  features: readonly string[];
  /** Column to carry along as the row id; "auto" takes `order_id` when the header has it. */
  idField?: string | "auto";
  skipInvalid: boolean;
  /**
   * Period per feature (0 where not cyclic). Rows the model cannot use (a magnitude
   * beyond 1e150, a cyclic value outside its period) are found here, before any work,
   * and treated like any other invalid row.
   */
  periods?: ArrayLike<number>;
}

export interface LoadedCsv extends LoadedMatrix {
  /** Name used in messages: the path as given, or "stdin". */
  name: string;
  header: string[];
  idField?: string;
}

/** How many skip reasons are printed on stderr before the rest are only counted. */
const SHOWN_REASONS = 3;

/**
 * Loads the `features` columns of a CSV file (or stdin for "-") as a row-major matrix.
 * Throws `InputError` for a missing file, a missing column or, without `skipInvalid`, an
 * invalid value; with `skipInvalid` the skipped rows are reported on stderr.
 */
export async function loadCsv(request: CsvRequest, io: CliIo): Promise<LoadedCsv> {
  const name = request.path === "-" ? "stdin" : request.path;
  const source = await openCsvSource(request.path, request.skipInvalid, io);
  const header = await source.header();
  checkColumns(name, header, request.features);
  const idField = chooseIdField(name, header, request.idField);

  const bar = new ProgressBar(io.stderr, { label: `loading ${name}`, tty: io.stderrIsTTY });
  const loaded = await source.loadMatrix(request.features, {
    idField,
    onProgress: (rows, bytes, totalBytes) =>
      bar.updateFraction(rows, totalBytes ? bytes / totalBytes : undefined),
  });
  bar.finish();
  const usable = dropUnusableRows(loaded, name, request);
  reportSkipped(name, usable.skipped, usable.skippedReasons, io);
  return { ...usable, name, header, idField };
}

/**
 * Checks every value against the engine's limits. Without `skipInvalid` the first bad
 * value is an `InputError` naming file, line, column and value. With it, such rows are
 * removed and counted with the rows the CSV reader skipped.
 */
function dropUnusableRows(loaded: LoadedMatrix, name: string, request: CsvRequest): LoadedMatrix {
  const dims = request.features.length;
  const { values, lines, ids } = loaded;
  const reasons = [...loaded.skippedReasons];
  let kept = 0;
  for (let i = 0; i < loaded.rows; i++) {
    const problem = findProblem(values, i, request);
    if (problem !== undefined) {
      const error = new InputError(`${name}:${lines[i]}: ${problem.message}`, {
        file: name,
        line: lines[i],
        field: problem.field,
        value: problem.value,
      });
      if (!request.skipInvalid) throw error;
      reasons.push(error.message);
      continue;
    }
    if (kept !== i) {
      values.copyWithin(kept * dims, i * dims, (i + 1) * dims);
      lines[kept] = lines[i];
      if (ids) ids[kept] = ids[i];
    }
    kept++;
  }
  const dropped = loaded.rows - kept;
  if (dropped === 0) return loaded;
  return {
    ...loaded,
    rows: kept,
    values: values.subarray(0, kept * dims),
    lines: lines.subarray(0, kept),
    ids: ids?.slice(0, kept),
    skipped: loaded.skipped + dropped,
    skippedReasons: reasons.slice(0, 5),
  };
}

function findProblem(
  values: Float64Array,
  row: number,
  request: CsvRequest,
): { message: string; field: string; value: string } | undefined {
  const dims = request.features.length;
  for (let k = 0; k < dims; k++) {
    const value = values[row * dims + k];
    const problem = valueProblem(value, request.periods?.[k] ?? 0);
    if (problem === undefined) continue;
    const field = request.features[k];
    return { message: `column "${field}": ${problem}, received ${value}`, field, value: String(value) };
  }
  return undefined;
}

/**
 * Opens a CSV file, or stdin for "-". A missing file or a folder is reported before
 * reading, as an `InputError` naming the path.
 */
export async function openCsvSource(
  path: string,
  skipInvalid: boolean,
  io: CliIo,
): Promise<CsvDataSource> {
  const options = { skipInvalid };
  if (path === "-") return CsvDataSource.fromStream(io.stdin, "stdin", options);
  return new CsvDataSource(await checkDataPath(path, io), options);
}

/**
 * Checks that the data file `path` exists and is a file, and returns the path to open.
 * That is the path as written when it resolves the same from the process's folder, so
 * messages repeat it. Otherwise it is the path resolved against `io.cwd`.
 */
export async function checkDataPath(path: string, io: CliIo): Promise<string> {
  const resolved = resolvePath(io.cwd, path);
  await checkReadable(path, resolved);
  return resolvePath(process.cwd(), path) === resolved ? path : resolved;
}

async function checkReadable(displayPath: string, path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new InputError(`data file ${displayPath}: is a folder, expected a CSV file`, {
        file: displayPath,
      });
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : `cannot read it (${code ?? error})`;
    throw new InputError(`data file ${displayPath}: ${reason}`, { file: displayPath });
  }
}

function checkColumns(name: string, header: string[], features: readonly string[]): void {
  const missing = features.filter((f) => !header.includes(f));
  if (missing.length === 0) return;
  const noun = missing.length === 1 ? "column" : "columns";
  throw new InputError(
    `${name}: missing ${noun} ${missing.map(quote).join(", ")} ` +
      `(needed: ${features.join(", ")}; header: ${header.join(", ")})`,
    { file: name, line: 1, field: missing[0] },
  );
}

function chooseIdField(
  name: string,
  header: string[],
  idField: string | undefined,
): string | undefined {
  if (idField === undefined) return undefined;
  if (idField === "auto") return header.includes("order_id") ? "order_id" : undefined;
  if (!header.includes(idField)) {
    throw new UsageError(
      `invalid value ${quote(idField)} for --id-field: ${name} has no such column ` +
        `(columns: ${header.join(", ")})`,
    );
  }
  return idField;
}

/** Reports rows skipped by --skip-invalid on stderr: the count and the first reasons. */
export function reportSkipped(
  name: string,
  skipped: number,
  reasons: readonly string[],
  io: CliIo,
): void {
  if (skipped === 0) return;
  const rows = skipped === 1 ? "row" : "rows";
  io.stderr.write(`sigh: skipped ${skipped} invalid ${rows} of ${name}\n`);
  for (const reason of reasons.slice(0, SHOWN_REASONS)) io.stderr.write(`  ${reason}\n`);
  const more = skipped - Math.min(reasons.length, SHOWN_REASONS);
  if (more > 0) io.stderr.write(`  ... and ${more} more\n`);
}
