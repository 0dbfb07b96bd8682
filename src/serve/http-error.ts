/**
 * The one error shape of the HTTP API: `{ error: { code, message, field? } }` with a 4xx
 * or 5xx status. Handlers throw `ApiError`; the error handler in app.ts writes it.
 */

/** Stable machine-readable error codes of the API. */
export type ApiErrorCode =
  | "INVALID_JSON"
  | "BODY_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "INVALID_BODY"
  | "MISSING_FIELD"
  | "INVALID_TYPE"
  | "INVALID_VALUE"
  | "UNKNOWN_FIELD"
  | "EMPTY_BATCH"
  | "BATCH_TOO_LARGE"
  | "INVALID_QUERY"
  | "NOT_FOUND"
  | "MODEL_NOT_LOADED"
  | "SHUTTING_DOWN"
  | "INTERNAL";

/** The JSON body of every error response. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string };
}

/** An error that maps to one HTTP status and one `ApiErrorBody`. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  /** The request field at fault, as a JSON path such as `total_cost` or `[2].total_cost`. */
  readonly field: string | undefined;

  constructor(statusCode: number, code: ApiErrorCode, message: string, field?: string) {
    super(message);
    this.name = "ApiError";
    this.statusCode = statusCode;
    this.code = code;
    this.field = field;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { error: { code: this.code, message: this.message } };
    if (this.field !== undefined) body.error.field = this.field;
    return body;
  }
}

/** Prefixes `field` with the batch index, giving `[3].total_cost` for event 3. */
export function fieldInBatch(index: number | undefined, field: string | undefined): string {
  const prefix = index === undefined ? "" : `[${index}]`;
  if (field === undefined || field === "") return prefix;
  return prefix === "" ? field : `${prefix}.${field}`;
}
