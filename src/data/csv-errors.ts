/** The messages of CSV input errors, in one place so they stay uniform. */

import { InputError, quote } from "../engine/errors.js";
import type { CsvSyntaxProblem } from "./csv-parser.js";

/** How many skip reasons a load keeps in `skippedReasons`. */
export const MAX_SKIP_REASONS = 5;

/** Skipped-row bookkeeping for `skipInvalid`, or throwing when it is off. */
export class RowRejector {
  skipped = 0;
  readonly reasons: string[] = [];

  constructor(
    private readonly skipInvalid: boolean,
    private readonly onSkip?: (error: InputError) => void,
  ) {}

  /** Throws `error`, or counts it and keeps its message when bad rows are skipped. */
  reject(error: InputError): void {
    if (!this.skipInvalid) throw error;
    this.skipped++;
    if (this.reasons.length < MAX_SKIP_REASONS) this.reasons.push(error.message);
    this.onSkip?.(error);
  }
}

/** `orders.csv:7: column "total_cost": invalid number "NaN" (expected a finite number)` */
export function invalidNumberError(
  file: string,
  line: number,
  column: string,
  value: string,
): InputError {
  const where = `${file}:${line}: column ${quote(column)}`;
  const blank = value.trim() === "";
  const message = blank
    ? `${where}: missing value (expected a finite number)`
    : `${where}: invalid number ${quote(value)} (expected a finite number)`;
  return new InputError(message, { file, line, field: column, value });
}

/** `orders.csv:9: expected 11 fields as in the header, found 10` */
export function fieldCountError(
  file: string,
  line: number,
  expected: number,
  found: number,
): InputError {
  return new InputError(
    `${file}:${line}: expected ${expected} fields as in the header, found ${found}`,
    { file, line, value: String(found) },
  );
}

/** `orders.csv: column "prep_time" not found in the header (columns: a, b, c)` */
export function columnNotFoundError(file: string, column: string, header: string[]): InputError {
  return new InputError(
    `${file}: column ${quote(column)} not found in the header (columns: ${header.join(", ")})`,
    { file, field: column },
  );
}

export function emptyFileError(file: string): InputError {
  return new InputError(`${file}: the file is empty (expected a header line with column names)`, {
    file,
  });
}

export function duplicateColumnError(
  file: string,
  line: number,
  name: string,
  first: number,
  second: number,
): InputError {
  return new InputError(
    `${file}:${line}: column ${quote(name)} appears twice in the header ` +
      `(fields ${first + 1} and ${second + 1}); column names must be unique`,
    { file, line, field: name, value: name },
  );
}

export function emptyColumnNameError(file: string, line: number, index: number): InputError {
  return new InputError(
    `${file}:${line}: field ${index + 1} of the header is empty (every column needs a name)`,
    { file, line, value: "" },
  );
}

/** Errors about the CSV structure itself: quotes that do not pair up, huge records. */
export function syntaxError(
  file: string,
  header: string[] | null,
  p: CsvSyntaxProblem,
): InputError {
  const column = header?.[p.fieldIndex];
  const field = column ?? `field ${p.fieldIndex + 1}`;
  const where = `${file}:${p.line}: ${column === undefined ? field : `column ${quote(column)}`}`;
  const location = { file, line: p.line, field, value: p.value };
  switch (p.kind) {
    case "unterminated-quote":
      return new InputError(
        `${where}: unterminated quoted field ${quote(p.value)} ` +
          `(the quote opened on line ${p.line} is not closed before the end of the file)`,
        location,
      );
    case "quote-in-unquoted-field":
      return new InputError(
        `${where}: invalid quote in unquoted field ${quote(p.value)} ` +
          `(quote the whole field and double the quotes inside it)`,
        location,
      );
    case "text-after-closing-quote":
      return new InputError(
        `${where}: invalid text after the closing quote in ${quote(p.value)} ` +
          `(expected a comma or the end of the line)`,
        location,
      );
    case "record-too-long":
      return new InputError(
        `${where}: record longer than 16 MiB starting ${quote(p.value)} ` +
          `(a closing quote is probably missing)`,
        location,
      );
  }
}

/** Wraps a failure to open or read the input, such as ENOENT, as an InputError. */
export function readError(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "ENOENT") {
    return new InputError(`${file}: file not found`, { file });
  }
  return new InputError(`${file}: failed to read the file (${reason})`, { file });
}
