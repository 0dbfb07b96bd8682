/**
 * JSON schemas for scoring requests, built from a model's feature names and compiled once
 * per loaded model with fastify's own ajv compiler (@fastify/ajv-compiler, ajv 8).
 *
 * Fastify's default ajv options coerce types ("35" becomes 35) and remove unknown
 * properties. Both would hide bad input, so every body schema here is compiled with
 * coercion, defaults and property removal turned off.
 */

import AjvCompiler from "@fastify/ajv-compiler";
import type { FastifySchemaCompiler } from "fastify";
import { MAX_MAGNITUDE } from "../engine/index.js";
import { ApiError, fieldInBatch } from "./http-error.js";

type ErrorObject = AjvCompiler.ErrorObject;
type ValidateFunction = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Ajv options for request bodies: no coercion, no defaults, no silent removal. */
const BODY_AJV_OPTIONS = {
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  allErrors: false,
  strictNumbers: true,
  allowUnionTypes: true,
} as const;

/** Ajv options for query strings and path parameters, which arrive as strings. */
const QUERY_AJV_OPTIONS = { ...BODY_AJV_OPTIONS, coerceTypes: true } as const;

/** Maximum length of an event id, in characters. */
export const MAX_ID_LENGTH = 200;

export interface EventSchemaOptions {
  /** Feature names in model order; each must be present and a JSON number. */
  featureNames: readonly string[];
  /**
   * Period per feature (0 or absent where not cyclic). A cyclic feature must lie from 0
   * to its period; every feature within the engine's magnitude limit.
   */
  periods?: ArrayLike<number>;
  /** Fields that may carry the event id, first match wins (a string or an integer). */
  idFields: readonly string[];
  /** When true, a field that is neither a feature nor an id field is rejected. */
  strict: boolean;
}

/** Builds the JSON schema of one event. */
export function buildEventSchema(options: EventSchemaOptions): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const name of options.idFields) {
    properties[name] = { type: ["string", "integer"], minLength: 1, maxLength: MAX_ID_LENGTH };
  }
  options.featureNames.forEach((name, k) => {
    const period = options.periods?.[k] ?? 0;
    properties[name] = period > 0
      ? { type: "number", minimum: 0, maximum: period }
      : { type: "number", minimum: -MAX_MAGNITUDE, maximum: MAX_MAGNITUDE };
  });
  return {
    type: "object",
    required: [...options.featureNames],
    properties,
    additionalProperties: !options.strict,
  };
}

/** A compiled check of one event against the model's schema. */
export interface EventValidator {
  readonly schema: Record<string, unknown>;
  /**
   * Throws an `ApiError` (400) naming the field when `event` does not match. `index` is
   * the event's position in a batch, used in the error's field path.
   */
  check(event: unknown, index?: number): void;
}

/** Compiles the event schema for a model. Costs a few milliseconds; done once per load. */
export function compileEventValidator(options: EventSchemaOptions): EventValidator {
  const compile = AjvCompiler()({}, { customOptions: { ...BODY_AJV_OPTIONS } });
  const schema = buildEventSchema(options);
  const validate = compile({ schema, httpPart: "body" }) as ValidateFunction;
  return {
    schema,
    check(event: unknown, index?: number): void {
      if (validate(event)) return;
      const error = validate.errors?.[0];
      throw toApiError(error, event, index, options);
    },
  };
}

/**
 * Builds the validator compiler that fastify uses for route schemas: bodies are never
 * coerced, query strings and path parameters are (they are always strings on the wire).
 */
export function buildRouteValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = AjvCompiler()({}, { customOptions: { ...BODY_AJV_OPTIONS } });
  const coercing = AjvCompiler()({}, { customOptions: { ...QUERY_AJV_OPTIONS } });
  return (route) => {
    const compile = route.httpPart === "body" ? strict : coercing;
    return compile({ schema: route.schema as Record<string, unknown>, httpPart: route.httpPart });
  };
}

/** Turns the first ajv error of an event into an `ApiError` that names the field. */
function toApiError(
  error: ErrorObject | undefined,
  event: unknown,
  index: number | undefined,
  options: EventSchemaOptions,
): ApiError {
  // A single event needs no position; a batch event is named by its index.
  const where = index === undefined ? "" : `event ${index}: `;
  if (!error) return new ApiError(400, "INVALID_BODY", `${where}invalid event`);
  const field = error.instancePath.replace(/^\//, "").replace(/~1/g, "/").replace(/~0/g, "~");

  switch (error.keyword) {
    case "required": {
      const name = String(error.params.missingProperty);
      const message = `${where}missing feature ${JSON.stringify(name)}` +
        ` (expected a number; the model's features are ${options.featureNames.join(", ")})`;
      return new ApiError(400, "MISSING_FIELD", message, fieldInBatch(index, name));
    }
    case "additionalProperties": {
      const name = String(error.params.additionalProperty);
      const allowed = [...options.featureNames, ...options.idFields].join(", ");
      const message = `${where}unknown field ${JSON.stringify(name)}` +
        ` (strict mode accepts only ${allowed})`;
      return new ApiError(400, "UNKNOWN_FIELD", message, fieldInBatch(index, name));
    }
    case "type":
      return typeError(where, field, event, index, options);
    default: {
      const received = describeValue(readField(event, field));
      const message = `${where}field ${JSON.stringify(field)} ${error.message ?? "is invalid"}` +
        `, received ${received}`;
      return new ApiError(400, "INVALID_VALUE", message, fieldInBatch(index, field));
    }
  }
}

function typeError(
  where: string,
  field: string,
  event: unknown,
  index: number | undefined,
  options: EventSchemaOptions,
): ApiError {
  if (field === "") {
    const message = `${where}expected a JSON object of feature values, received ${
      describeValue(event)}`;
    return new ApiError(400, "INVALID_BODY", message, fieldInBatch(index, undefined));
  }
  const expected = options.idFields.includes(field) && !options.featureNames.includes(field)
    ? "a string or an integer"
    : "a finite JSON number (numeric strings are not converted)";
  const message = `${where}field ${JSON.stringify(field)} must be ${expected},` +
    ` received ${describeValue(readField(event, field))}`;
  return new ApiError(400, "INVALID_TYPE", message, fieldInBatch(index, field));
}

function readField(event: unknown, field: string): unknown {
  if (typeof event !== "object" || event === null) return undefined;
  return (event as Record<string, unknown>)[field];
}

/** Describes a received value for an error message: `"35" (a string)`, `null`, `an array of 2`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case "string":
      return `${JSON.stringify(value.length > 60 ? value.slice(0, 60) + "…" : value)} (a string)`;
    case "number":
    case "boolean":
      return String(value);
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}
