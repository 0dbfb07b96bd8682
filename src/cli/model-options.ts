/** Parsing of the model options shared by `train` and `demo`. */

import { choiceOption, numberOption, stringOption, type ParsedOptions } from "./args.js";
import {
  DEFAULT_EPS,
  DEFAULT_MIN_CLUSTER_SHARE,
  DEFAULT_MIN_SAMPLES,
  ORDER_FEATURES,
  UsageError,
  quote,
} from "./engine.js";
import type { FeatureSpec, ModelOptions, ScaleMode } from "./engine.js";

const SCALE_MODES: readonly ScaleMode[] = ["standard", "none"];

/** The option definitions, for `parseArgs`. */
export const MODEL_OPTION_SPECS = {
  eps: { type: "string" },
  "min-samples": { type: "string" },
  features: { type: "string" },
  scale: { type: "string" },
  "min-cluster-share": { type: "string" },
} as const;

/** Help lines for the shared model options, aligned for the commands' usage texts. */
export const MODEL_OPTIONS_HELP = [
  `  --eps E|auto          neighbourhood radius in scaled units, inclusive, or "auto" to`,
  `                        choose it from the k-distance curve (default ${DEFAULT_EPS})`,
  `  --min-samples M       rows within eps, the row itself included, that make a core`,
  `                        sample (default ${DEFAULT_MIN_SAMPLES})`,
  `  --min-cluster-share S dissolve clusters holding less than this share (0 to 1) of`,
  `                        the rows into noise (default ${DEFAULT_MIN_CLUSTER_SHARE} with eps "auto",`,
  `                        0 with a given eps, which keeps plain DBSCAN)`,
].join("\n");

/**
 * Builds `ModelOptions` from --eps, --min-samples, --features and --scale. Options that
 * were not given stay undefined so the model's defaults apply.
 */
export function parseModelOptions(values: ParsedOptions): ModelOptions {
  const options: ModelOptions = {};
  const eps = stringOption(values, "eps");
  if (eps !== undefined) {
    options.eps = eps === "auto" ? "auto" : parseEps(eps);
  }
  const minSamples = stringOption(values, "min-samples");
  if (minSamples !== undefined) {
    options.minSamples = numberOption("min-samples", minSamples, { integer: true, min: 1 });
  }
  const features = stringOption(values, "features");
  if (features !== undefined) options.features = parseFeatureList(features);
  const share = stringOption(values, "min-cluster-share");
  if (share !== undefined) {
    options.minClusterShare = numberOption("min-cluster-share", share, { min: 0, max: 1 });
  }
  const scale = stringOption(values, "scale");
  if (scale !== undefined) options.scale = choiceOption("scale", scale, SCALE_MODES);
  return options;
}

function parseEps(raw: string): number {
  const value = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(
      `invalid value ${quote(raw)} for --eps: expected a number > 0 or "auto"`,
    );
  }
  return value;
}

/**
 * Splits "a,b,c" into feature specs. An item "name:PERIOD" makes a cyclic feature, such
 * as "order_time:24"; other features are linear. Names of the Bob's Burgers order
 * features get their labels and units, but their period only when one is written, so
 * that a plain list trains the same model as scikit-learn would.
 */
export function parseFeatureList(raw: string): FeatureSpec[] {
  const specs = raw.split(",").map((item) => parseFeatureItem(raw, item.trim()));
  const names = specs.map((spec) => spec.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new UsageError(
      `invalid value ${quote(raw)} for --features: ${quote(repeated)} is listed twice`,
    );
  }
  return specs;
}

function parseFeatureItem(raw: string, item: string): FeatureSpec {
  const [name, period, extra] = item.split(":").map((part) => part.trim());
  const bad = (reason: string) =>
    new UsageError(`invalid value ${quote(raw)} for --features: ${reason}`);
  if (!name) throw bad("expected column names separated by commas");
  if (extra !== undefined) throw bad(`expected NAME or NAME:PERIOD, received ${quote(item)}`);
  const known = ORDER_FEATURES.find((f) => f.name === name);
  const spec: FeatureSpec = { ...known, name };
  delete spec.period;
  if (period === undefined) return spec;
  const value = period === "" ? NaN : Number(period);
  if (!Number.isFinite(value) || value <= 0) {
    throw bad(`the period of ${quote(name)} must be a number > 0, received ${quote(period)}`);
  }
  return { ...spec, period: value };
}

/** Returns the feature names that `options` selects: the given list or the order features. */
export function featureNamesOf(options: ModelOptions): string[] {
  const features = options.features ?? ORDER_FEATURES;
  return features.map((f) => (typeof f === "string" ? f : f.name));
}
