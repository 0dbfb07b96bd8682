/**
 * Service settings, and what the service derives from each model when it is loaded: the
 * compiled request schema and the action thresholds.
 */

import { resolveThresholds, type ThresholdOptions, type Thresholds } from "./actions.js";
import type { LoadedModel, ModelHolder, ServableModel } from "./model-holder.js";
import { compileEventValidator, type EventValidator } from "./schema.js";

/** Fields that carry the event id when `--id-field` is not given, first match wins. */
export const DEFAULT_ID_FIELDS: readonly string[] = ["order_id", "id"];

/** Default request body limit in bytes (fastify's own default, 1 MiB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Default maximum number of events in one batch request. */
export const DEFAULT_MAX_BATCH = 1000;

export interface ServeSettings {
  idFields: readonly string[];
  /** Reject fields that are neither features nor id fields. */
  strict: boolean;
  thresholds: ThresholdOptions;
  bodyLimit: number;
  maxBatch: number;
}

export function defaultSettings(overrides: Partial<ServeSettings> = {}): ServeSettings {
  return {
    idFields: DEFAULT_ID_FIELDS,
    strict: false,
    thresholds: {},
    bodyLimit: DEFAULT_BODY_LIMIT,
    maxBatch: DEFAULT_MAX_BATCH,
    ...overrides,
  };
}

/** Per-model state, built once per load. */
export interface PreparedModel {
  validator: EventValidator;
  thresholds: Thresholds;
}

export type ServeHolder = ModelHolder<PreparedModel>;
export type ServeModel = LoadedModel<PreparedModel>;

/**
 * Returns the `prepare` step for a holder. It throws, which rejects the model, when the
 * thresholds do not fit the model or an id field is also a feature.
 */
export function preparer(settings: ServeSettings): (model: ServableModel) => PreparedModel {
  return (model) => {
    const clash = settings.idFields.find((field) => model.featureNames.includes(field));
    if (clash !== undefined) {
      throw new Error(`the id field ${JSON.stringify(clash)} is also a feature of the model`);
    }
    const validator = compileEventValidator({
      featureNames: model.featureNames,
      periods: model.features.map((feature) => feature.period ?? 0),
      idFields: settings.idFields,
      strict: settings.strict,
    });
    const thresholds = resolveThresholds(model.threshold, settings.thresholds);
    return { validator, thresholds };
  };
}
