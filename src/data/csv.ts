/**
 * Streaming CSV input: a header line, then one record per line. Files are read in
 * 1 MiB chunks and parsed incrementally, so memory grows with the output, not the file.
 * Parsing rules are in csv-parser.ts. Every bad cell or row is an `InputError` naming
 * the file, the line (the header is line 1), the column and the value.
 */

import { createReadStream, statSync } from "node:fs";
import { InputError, ParameterError } from "../engine/errors.js";
import { CsvParser, type CsvSyntaxProblem } from "./csv-parser.js";
import {
  RowRejector,
  columnNotFoundError,
  duplicateColumnError,
  emptyColumnNameError,
  emptyFileError,
  fieldCountError,
  invalidNumberError,
  readError,
  syntaxError,
} from "./csv-errors.js";
import { isBlankCell, parseFiniteNumber } from "./numbers.js";
import { Utf8Reader } from "./utf8.js";
import { REQUIRED_ORDER_COLUMNS, type Order } from "./order.js";
import { recordToOrder } from "./order-record.js";

export interface CsvOptions {
  /** Skip bad rows and count them instead of throwing. Default false. */
  skipInvalid?: boolean;
}

/** Called after each chunk; `totalBytes` is known for files, not for streams. */
export type CsvProgress = (rowsRead: number, bytesRead: number, totalBytes?: number) => void;

export interface LoadMatrixOptions {
  /** A column whose values are returned as `ids`, one per kept row. */
  idField?: string;
  onProgress?: CsvProgress;
}

/** Numeric columns as one row-major `rows × features.length` Float64Array. */
export interface CsvMatrix {
  values: Float64Array;
  rows: number;
  features: string[];
  ids?: string[];
  /** Line of each kept row in the file. */
  lines: Uint32Array;
  skipped: number;
  /** The first few skip messages (at most 5). */
  skippedReasons: string[];
}

export interface CsvRecords {
  records: Record<string, string | number | null>[];
  lines: number[];
  skipped: number;
  skippedReasons: string[];
  header: string[];
}

/** Callbacks of one pass over the input. `row` gets records already checked for length. */
interface ScanHandlers {
  header(names: string[]): void;
  row(fields: string[], line: number): void;
  onProgress?: CsvProgress;
  /** Stop reading after the header. */
  headerOnly?: boolean;
}

const CHUNK_BYTES = 1 << 20;
const INITIAL_ROWS = 1024;

export class CsvDataSource {
  private path: string | undefined;
  private stream: NodeJS.ReadableStream | undefined;
  /** The file name used in messages: the path as given, or the stream's name. */
  readonly name: string;
  private readonly skipInvalid: boolean;
  /** Stream chunks read by `header()`, replayed by the next full pass. */
  private replay: (string | Buffer)[] = [];
  private streamIterator: AsyncIterator<string | Buffer> | undefined;
  private streamDone = false;
  private streamConsumed = false;
  private cachedHeader: string[] | undefined;
  private lastPass: RowRejector | undefined;

  /** Reads the file at `path`; messages name the file by `path` as given. */
  constructor(path: string, options: CsvOptions = {}) {
    this.path = path;
    this.name = path;
    this.skipInvalid = options.skipInvalid ?? false;
  }

  /**
   * Reads CSV from a stream such as `process.stdin`; `name` is used in messages. A
   * stream can be loaded once; `header()` before the load is allowed.
   */
  static fromStream(
    stream: NodeJS.ReadableStream,
    name: string,
    options: CsvOptions = {},
  ): CsvDataSource {
    const source = new CsvDataSource(name, options);
    source.path = undefined;
    source.stream = stream;
    return source;
  }

  /** Rows skipped by the latest completed load or `rows()` pass (with `skipInvalid`). */
  get skipped(): number {
    return this.lastPass?.skipped ?? 0;
  }

  /** The first few (at most 5) messages of the rows counted in `skipped`. */
  get skippedReasons(): string[] {
    return [...(this.lastPass?.reasons ?? [])];
  }

  /** Reads the header line: column names, trimmed. Throws for an empty file. */
  async header(): Promise<string[]> {
    if (this.cachedHeader) return [...this.cachedHeader];
    await this.scan({ header: () => {}, row: () => {}, headerOnly: true });
    return [...(this.cachedHeader ?? [])];
  }

  /**
   * Yields every data row as raw strings by column name. A row with the wrong number of
   * fields or broken quoting throws, or with `skipInvalid` is skipped, passed to
   * `onSkip` and counted in `skipped` once the iteration ends.
   */
  async *rows(
    onSkip?: (error: InputError) => void,
  ): AsyncIterable<{ line: number; fields: Record<string, string> }> {
    let header: string[] = [];
    let batch: { line: number; fields: Record<string, string> }[] = [];
    const handlers: ScanHandlers = {
      header: (names) => (header = names),
      row: (fields, line) => batch.push({ line, fields: toObject(header, fields) }),
    };
    const passes = this.passes(handlers, new RowRejector(this.skipInvalid, onSkip));
    while (!(await passes.next()).done) {
      yield* batch;
      batch = [];
    }
    yield* batch;
  }

  /**
   * Calls `onRow` with the raw fields of every data row, in header order, and the row's
   * line. The fastest way to visit rows: no object per row. Bad rows throw, or with
   * `skipInvalid` are skipped, passed to `onSkip` and counted in `skipped`.
   */
  async forEachRow(
    onRow: (fields: readonly string[], line: number) => void,
    onSkip?: (error: InputError) => void,
  ): Promise<void> {
    const handlers: ScanHandlers = { header: () => {}, row: onRow };
    await this.scan(handlers, new RowRejector(this.skipInvalid, onSkip));
  }

  /**
   * Loads the `features` columns as numbers. Every cell must be a finite decimal number;
   * an empty cell is a missing value. Both are errors unless `skipInvalid`, which drops
   * the row. O(rows × features) time; memory is the result plus at most doubling slack.
   */
  async loadMatrix(
    features: readonly string[],
    options: LoadMatrixOptions = {},
  ): Promise<CsvMatrix> {
    if (features.length === 0) {
      throw new ParameterError("features", "loadMatrix needs at least one feature column");
    }
    const d = features.length;
    const rejector = new RowRejector(this.skipInvalid);
    const columns = new Int32Array(d);
    let idColumn = -1;
    const ids: string[] | undefined = options.idField === undefined ? undefined : [];
    let values = new Float64Array(INITIAL_ROWS * d);
    let lines = new Uint32Array(INITIAL_ROWS);
    let rows = 0;

    const header = (names: string[]): void => {
      features.forEach((f, k) => (columns[k] = this.columnIndex(names, f)));
      if (options.idField !== undefined) idColumn = this.columnIndex(names, options.idField);
    };
    const row = (fields: string[], line: number): void => {
      if (rows === lines.length) {
        values = grow(values, values.length * 2);
        lines = grow(lines, lines.length * 2);
      }
      const base = rows * d;
      for (let k = 0; k < d; k++) {
        const text = fields[columns[k]];
        const value = parseFiniteNumber(text);
        if (value !== value) {
          rejector.reject(invalidNumberError(this.name, line, features[k], text));
          return;
        }
        values[base + k] = value;
      }
      lines[rows] = line;
      if (ids) ids.push(fields[idColumn]);
      rows++;
    };
    await this.scan({ header, row, onProgress: options.onProgress }, rejector);

    return {
      values: values.slice(0, rows * d),
      rows,
      features: [...features],
      ...(ids ? { ids } : {}),
      lines: lines.slice(0, rows),
      skipped: rejector.skipped,
      skippedReasons: rejector.reasons,
    };
  }

  /**
   * Loads every row as an object by column name. `numericColumns` become numbers, or
   * null for an empty cell; an invalid number throws unless `skipInvalid`. Other
   * columns stay strings.
   */
  async loadRecords(numericColumns: readonly string[]): Promise<CsvRecords> {
    const rejector = new RowRejector(this.skipInvalid);
    let header: string[] = [];
    let numeric: boolean[] = [];
    const records: Record<string, string | number | null>[] = [];
    const lines: number[] = [];

    const onHeader = (names: string[]): void => {
      header = names;
      numeric = names.map(() => false);
      for (const c of numericColumns) numeric[this.columnIndex(names, c)] = true;
    };
    const row = (fields: string[], line: number): void => {
      const record: Record<string, string | number | null> = {};
      for (let k = 0; k < header.length; k++) {
        const text = fields[k];
        if (!numeric[k]) {
          record[header[k]] = text;
        } else if (isBlankCell(text)) {
          record[header[k]] = null;
        } else {
          const value = parseFiniteNumber(text);
          if (value !== value) {
            rejector.reject(invalidNumberError(this.name, line, header[k], text));
            return;
          }
          record[header[k]] = value;
        }
      }
      records.push(record);
      lines.push(line);
    };
    await this.scan({ header: onHeader, row }, rejector);
    return { records, lines, skipped: rejector.skipped, skippedReasons: rejector.reasons, header };
  }

  /**
   * Loads Bob's Burgers orders. Needs the columns order_id, customer, the six order
   * features and timestamp. `injected_anomaly` (0 or 1) and `anomaly_kind` are read when
   * present and default to 0 and "". Feature cells must be finite numbers.
   */
  async loadOrders(): Promise<Order[]> {
    const rejector = new RowRejector(this.skipInvalid);
    const orders: Order[] = [];
    let header: string[] = [];
    const onHeader = (names: string[]): void => {
      header = names;
      for (const c of REQUIRED_ORDER_COLUMNS) this.columnIndex(names, c);
    };
    const row = (fields: string[], line: number): void => {
      const result = recordToOrder(this.name, line, header, fields);
      if (result instanceof InputError) rejector.reject(result);
      else orders.push(result);
    };
    await this.scan({ header: onHeader, row }, rejector);
    return orders;
  }

  private columnIndex(names: string[], column: string): number {
    const index = names.indexOf(column);
    if (index === -1) throw columnNotFoundError(this.name, column, names);
    return index;
  }

  /** Makes one full pass over the input and resolves when it ends. */
  private async scan(handlers: ScanHandlers, rejector?: RowRejector): Promise<void> {
    const passes = this.passes(handlers, rejector);
    while (!(await passes.next()).done) {
      // The handlers received this chunk's rows; read on.
    }
  }

  /**
   * Reads the input chunk by chunk, feeding the parser, and yields once per chunk so
   * that `rows()` can hand out what the chunk produced.
   */
  private async *passes(handlers: ScanHandlers, rejector?: RowRejector): AsyncGenerator<void> {
    const reject = rejector ?? new RowRejector(this.skipInvalid);
    let header: string[] | null = null;
    let rows = 0;
    let done = false;
    const sink = {
      record: (fields: string[], line: number): void => {
        if (header === null) {
          header = this.checkHeader(fields, line);
          handlers.header(header);
          if (handlers.headerOnly) done = true;
          return;
        }
        if (fields.length !== header.length) {
          reject.reject(fieldCountError(this.name, line, header.length, fields.length));
          return;
        }
        handlers.row(fields, line);
        rows++;
      },
      problem: (p: CsvSyntaxProblem): void => {
        const error = syntaxError(this.name, header, p);
        // Without a header, or past an unclosed quote, no later line can be trusted.
        if (header === null || p.kind === "unterminated-quote" || p.kind === "record-too-long") {
          throw error;
        }
        reject.reject(error);
      },
    };
    const parser = new CsvParser(sink);
    const decoder = new Utf8Reader(this.name);
    const totalBytes = this.totalBytes();
    let bytes = 0;

    for await (const chunk of this.chunks(handlers.headerOnly === true)) {
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      parser.push(typeof chunk === "string" ? chunk : decoder.decode(chunk));
      handlers.onProgress?.(rows, bytes, totalBytes);
      yield;
      if (done) return;
    }
    parser.push(decoder.end());
    parser.end();
    if (header === null) throw emptyFileError(this.name);
    this.lastPass = reject;
    handlers.onProgress?.(rows, bytes, totalBytes);
    yield;
  }

  private checkHeader(fields: string[], line: number): string[] {
    const names = fields.map((f) => f.trim());
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      if (name === "") throw emptyColumnNameError(this.name, line, i);
      const first = seen.get(name);
      if (first !== undefined) throw duplicateColumnError(this.name, line, name, first, i);
      seen.set(name, i);
    });
    this.cachedHeader = names;
    return names;
  }

  private totalBytes(): number | undefined {
    if (this.path === undefined) return undefined;
    try {
      return statSync(this.path).size;
    } catch {
      return undefined; // the read below reports the failure
    }
  }

  /** Input chunks. For a stream, `peek` keeps them for replay by the next pass. */
  private async *chunks(peek: boolean): AsyncGenerator<string | Buffer> {
    if (this.path !== undefined) {
      yield* this.readFile(this.path);
      return;
    }
    if (!peek) {
      if (this.streamConsumed) {
        throw new ParameterError(
          "stream",
          `${this.name}: the stream was already read; create a new CsvDataSource to read it again`,
        );
      }
      this.streamConsumed = true;
      const replay = this.replay;
      this.replay = [];
      yield* replay;
    }
    this.streamIterator ??= (this.stream as AsyncIterable<string | Buffer>)[Symbol.asyncIterator]();
    while (!this.streamDone) {
      const step = await this.nextChunk(this.streamIterator);
      if (step.done) {
        this.streamDone = true;
        break;
      }
      if (peek) this.replay.push(step.value);
      yield step.value;
    }
  }

  private async *readFile(path: string): AsyncGenerator<Buffer> {
    const iterator = createReadStream(path, { highWaterMark: CHUNK_BYTES })[
      Symbol.asyncIterator
    ]() as AsyncIterator<Buffer>;
    try {
      while (true) {
        const step = await this.nextChunk(iterator);
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await iterator.return?.();
    }
  }

  private async nextChunk<T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> {
    try {
      return await iterator.next();
    } catch (error) {
      throw readError(this.name, error);
    }
  }
}

function toObject(header: string[], fields: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let k = 0; k < header.length; k++) record[header[k]] = fields[k];
  return record;
}

function grow<T extends Float64Array | Uint32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
