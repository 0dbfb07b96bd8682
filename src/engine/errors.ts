/**
 * The error classes of sigh. Every message states what was wrong, where, the value
 * received and what would be accepted. The CLI maps `UsageError` to exit code 2 and
 * the others to 1. The HTTP service maps `InputError` to 400.
 */

/** Base class: `code` is a stable machine-readable name for the kind of failure. */
export class SighError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Location of a bad value, as precise as the caller knows it. */
export interface InputLocation {
  file?: string;
  /** 1-based line in the file, counting the header as line 1. */
  line?: number;
  /** Column or feature name. */
  field?: string;
  /** The raw value as received, before any parsing. */
  value?: string;
}

/** Bad data: a row, a record or a cell that cannot be used. */
export class InputError extends SighError {
  readonly location: InputLocation;

  constructor(message: string, location: InputLocation = {}) {
    super("INPUT", message);
    this.location = location;
  }
}

/** A bad parameter or option given to a library call. */
export class ParameterError extends SighError {
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super("PARAMETER", message);
    this.parameter = parameter;
  }
}

/** A bad command line: unknown command or option, missing argument. Exit code 2. */
export class UsageError extends SighError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/** A model file that is truncated, corrupt, of another version, or not a model file. */
export class ModelFileError extends SighError {
  constructor(message: string) {
    super("MODEL_FILE", message);
  }
}

/** A model used before `fit` or `fromBytes` gave it something to score with. */
export class NotFittedError extends SighError {
  constructor(message = "the model is not fitted: call fit(rows) or load a model file first") {
    super("NOT_FITTED", message);
  }
}

/** Formats a value for an error message: strings quoted, everything else as JSON. */
export function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
