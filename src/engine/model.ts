/**
 * The anomaly model: learns normal behaviour with DBSCAN, then scores new events
 * against the core samples without refitting.
 */

import { chooseEps } from "./auto-eps.js";
import { CoreIndex } from "./core-index.js";
import { dbscan } from "./dbscan.js";
import { InputError, NotFittedError, ParameterError, SighError, quote } from "./errors.js";
import { explain } from "./explain.js";
import { KdTree } from "./kdtree.js";
import { type FeatureSpec, ORDER_FEATURES, normalizeFeatures } from "./features.js";
import { type ModelData, decodeModel, encodeModel, modelContentId } from "./model-file.js";
import { NOISE_NAME, nameClusters } from "./naming.js";
import { buildProfiles } from "./profiles.js";
import { dissolveSmallClusters, reattachBorderRows } from "./small-clusters.js";
import { checkMatrix, readFeatures, readMatrix } from "./records.js";
import { StandardScaler } from "./scaler.js";
import { SCORE_THRESHOLD, anomalyScore } from "./score.js";
import type {
  BatchScores,
  ClusterProfile,
  Deviation,
  EventRecord,
  FitOptions,
  ModelOptions,
  ScaleMode,
  ScoreResult,
  TrainingSummary,
} from "./types.js";

/** eps is chosen from the data unless given; see auto-eps.ts. */
export const DEFAULT_EPS: number | "auto" = "auto";
export const DEFAULT_MIN_SAMPLES = 10;
/** Default minClusterShare when eps is "auto". */
export const DEFAULT_MIN_CLUSTER_SHARE = 0.005;

interface Fitted {
  scaler: StandardScaler;
  eps: number;
  epsMethod: string;
  index: CoreIndex;
  clusters: ClusterProfile[];
  noise: ClusterProfile;
  overall: ClusterProfile;
  summary: TrainingSummary;
}

export class AnomalyModel {
  readonly features: FeatureSpec[];
  readonly featureNames: string[];
  /** Period per feature, 0 where the feature is not cyclic. */
  readonly periods: Float64Array;
  readonly minSamples: number;
  readonly scale: ScaleMode;
  readonly minClusterShare: number;
  /** `isAnomaly` is `score > threshold`. */
  readonly threshold = SCORE_THRESHOLD;
  /** DBSCAN label per row of the last `fit`, -1 for noise; empty for a loaded model. */
  labels: Int32Array = new Int32Array(0);
  /** 1 for the core samples among the rows of the last `fit`; empty for a loaded model. */
  isCore: Uint8Array = new Uint8Array(0);

  private readonly epsOption: number | "auto";
  private fitted?: Fitted;
  private bytes?: Uint8Array;
  private contentId?: string;
  // Scratch rows for single-event scoring, so the hot path allocates little.
  private readonly raw: Float64Array;
  private readonly scaled: Float64Array;
  private readonly nearestOut = new Float64Array(1);

  /**
   * @throws ParameterError for an eps that is neither "auto" nor a positive number,
   *   a minSamples below 1, an unknown scale, or bad feature names.
   */
  constructor(options: ModelOptions = {}) {
    const eps = options.eps ?? DEFAULT_EPS;
    if (eps !== "auto" && !(typeof eps === "number" && Number.isFinite(eps) && eps > 0)) {
      throw new ParameterError("eps", `eps must be a positive number or "auto", received ${quote(eps)}`);
    }

    const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
    if (!(Number.isInteger(minSamples) && minSamples >= 1)) {
      throw new ParameterError(
        "minSamples",
        `minSamples must be an integer of at least 1, received ${quote(minSamples)}`,
      );
    }

    const scale = options.scale ?? "standard";
    if (scale !== "standard" && scale !== "none") {
      throw new ParameterError("scale", `scale must be "standard" or "none", received ${quote(scale)}`);
    }

    const share = options.minClusterShare ?? (eps === "auto" ? DEFAULT_MIN_CLUSTER_SHARE : 0);
    if (!(typeof share === "number" && share >= 0 && share < 1)) {
      throw new ParameterError(
        "minClusterShare",
        `minClusterShare must be a number from 0 up to 1, received ${quote(share)}`,
      );
    }

    this.minClusterShare = share;
    this.features = normalizeFeatures(options.features ?? ORDER_FEATURES);
    if (this.features.length === 0) {
      throw new ParameterError("features", "features must name at least one column");
    }

    this.featureNames = this.features.map((f) => f.name);
    this.periods = Float64Array.from(this.features, (f) => f.period ?? 0);
    this.epsOption = eps;
    this.minSamples = minSamples;
    this.scale = scale;
    this.raw = new Float64Array(this.features.length);
    this.scaled = new Float64Array(this.features.length);
  }

  /** Neighbourhood radius in scaled units: the given value, or the chosen one after fit. */
  get eps(): number {
    if (this.fitted) return this.fitted.eps;
    if (this.epsOption === "auto") throw new NotFittedError("eps is \"auto\": it is chosen by fit()");
    return this.epsOption;
  }

  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  get clusters(): ClusterProfile[] {
    return this.state().clusters;
  }

  get noiseProfile(): ClusterProfile {
    return this.state().noise;
  }

  /** Profile of all training rows together. */
  get overallProfile(): ClusterProfile {
    return this.state().overall;
  }

  get summary(): TrainingSummary {
    return this.state().summary;
  }

  get scaler(): StandardScaler {
    return this.state().scaler;
  }

  /**
   * Eight hex digits identifying the fitted model: a checksum of everything in its
   * file except the training time, so the same data and options give the same id.
   */
  get modelId(): string {
    this.contentId ??= modelContentId(this.modelData());
    return this.contentId;
  }

  /**
   * Learns normal behaviour from records holding every feature as a finite number.
   *
   * @throws InputError naming the row (counted from 1) and the feature of a bad value
   */
  fit(rows: readonly EventRecord[], options: FitOptions = {}): this {
    return this.fitMatrix(readMatrix(rows, this.featureNames, this.periods), rows.length, options);
  }

  /**
   * Learns from `rows` rows of raw values in feature order, row-major. Memory and,
   * for data of bounded density, time grow about linearly with the rows.
   *
   * @throws InputError for a non-finite value, naming its row and feature
   */
  fitMatrix(values: Float64Array, rows: number, options: FitOptions = {}): this {
    const started = Date.now();
    const dims = this.features.length;
    checkMatrix(values, rows, this.featureNames, this.periods);
    const periods = this.periods;
    const report = options.onProgress;

    report?.({ phase: "scale", done: 0, total: rows });
    const scaler = StandardScaler.fit(values, rows, dims, this.scale, periods);
    const scaled = scaler.transform(values, rows);
    report?.({ phase: "index", done: 0, total: rows });
    const tree = new KdTree(scaled, rows, dims, scaler.scaledPeriods);
    const { eps, method } = this.resolveEps(scaled, rows, tree);

    const result = dbscan(scaled, rows, dims, {
      eps,
      minSamples: this.minSamples,
      periods: scaler.scaledPeriods,
      onProgress: report,
      coreDistances: true,
      tree,
      kDistanceRunner: options.kDistanceRunner,
    });
    const minSize = Math.ceil(this.minClusterShare * rows);
    const dissolved = dissolveSmallClusters(result.labels, result.clusterCount, minSize);
    const index = buildCoreIndex(scaled, dims, result, scaler.scaledPeriods);
    if (index.size === 0) {
      throw new SighError(
        "NO_CLUSTERS",
        `no cluster found: all ${rows} training rows are noise at eps ${Number(eps.toPrecision(4))} and minSamples ` +
          `${this.minSamples}, so there is no normal behaviour to score against; ` +
          `raise eps or lower minSamples`,
      );
    }
    if (dissolved.dissolvedClusters > 0) {
      reattachBorderRows(scaled, dims, result.labels, index.tree, index.labels, eps);
    }
    const clusterCount = dissolved.clusterCount;
    const profiles = buildProfiles(values, rows, this.features, result.labels, result.isCore, clusterCount);
    nameClusters(profiles, this.features);

    const noise = profiles.noise.size;
    const summary: TrainingSummary = {
      rows,
      clusters: clusterCount,
      noise,
      noiseShare: rows > 0 ? noise / rows : 0,
      coreSamples: index.size,
      eps,
      epsMethod: method,
      minSamples: this.minSamples,
      minClusterShare: this.minClusterShare,
      dissolvedClusters: dissolved.dissolvedClusters,
      dissolvedRows: dissolved.dissolvedRows,
      fitMillis: Date.now() - started,
      trainedAt: new Date().toISOString(),
    };
    this.labels = result.labels;
    this.isCore = result.isCore;
    this.bytes = undefined;
    this.contentId = undefined;
    this.fitted = { scaler, eps, epsMethod: method, index, ...profiles, summary };
    return this;
  }

  private resolveEps(scaled: Float64Array, rows: number, tree: KdTree) {
    if (this.epsOption !== "auto") return { eps: this.epsOption, method: "given" };
    if (rows < 2) {
      throw new ParameterError("eps", `eps "auto" needs at least 2 rows to learn from, received ${rows}`);
    }
    return chooseEps(scaled, rows, this.features.length, this.minSamples, tree.periods, tree);
  }

  /** Returns the name of cluster `id`; -1 is the noise. */
  clusterName(id: number): string {
    if (id === -1) return NOISE_NAME;
    const cluster = this.state().clusters[id];
    if (!cluster) throw new ParameterError("id", `cluster ${id} does not exist; this model has ${this.clusters.length}`);
    return cluster.name;
  }

  /**
   * Scores one event and explains every feature. O(log m) for m core samples.
   *
   * @throws InputError naming the feature that is missing or not a finite number
   * @example model.score({ items_per_order: 35, ... }).isAnomaly // true
   */
  score(record: EventRecord): ScoreResult {
    this.scoringState();
    readFeatures(record, this.featureNames, this.raw, 0, "", this.periods);
    return this.scoreRow(this.raw, 0);
  }

  /** Scores one row of raw values in feature order, with its explanation. */
  scoreRow(values: ArrayLike<number>, offset = 0): ScoreResult {
    const fitted = this.scoringState();
    const { index, eps } = fitted;
    const j = this.nearestCore(values, offset);
    const dist2 = this.nearestOut[0];
    const isAnomaly = dist2 > eps * eps;
    const nearestCluster = index.labels[j];
    const cluster = isAnomaly ? -1 : nearestCluster;
    return {
      isAnomaly,
      cluster,
      clusterName: this.clusterName(cluster),
      nearestCluster,
      nearestClusterName: this.clusterName(nearestCluster),
      distance: Math.sqrt(dist2),
      score: anomalyScore(dist2, index.densities[j], eps),
      deviations: this.explainAgainst(values, offset, j),
    };
  }

  /** Explains one row of raw values against the cluster of its nearest core sample. */
  explain(values: ArrayLike<number>): Deviation[] {
    const j = this.nearestCore(values, 0);
    return this.explainAgainst(values, 0, j);
  }

  /** Scores records on the fast path: no explanations, results in typed arrays. */
  scoreBatch(records: readonly EventRecord[]): BatchScores {
    return this.scoreMatrix(readMatrix(records, this.featureNames, this.periods), records.length);
  }

  /**
   * Scores `rows` rows of raw values in feature order. O(rows · log m); allocates
   * only the result arrays.
   *
   * @throws InputError for a non-finite value, naming its row and feature
   */
  scoreMatrix(values: Float64Array, rows: number): BatchScores {
    const { index, eps } = this.scoringState();
    checkMatrix(values, rows, this.featureNames, this.periods);
    const dims = this.features.length;
    const out: BatchScores = {
      count: rows,
      isAnomaly: new Uint8Array(rows),
      cluster: new Int32Array(rows),
      nearestCluster: new Int32Array(rows),
      distance: new Float64Array(rows),
      score: new Float64Array(rows),
    };
    const eps2 = eps * eps;
    for (let i = 0; i < rows; i++) {
      const j = this.nearestCore(values, i * dims);
      const dist2 = this.nearestOut[0];
      const label = index.labels[j];
      const anomalous = dist2 > eps2;
      out.isAnomaly[i] = anomalous ? 1 : 0;
      out.cluster[i] = anomalous ? -1 : label;
      out.nearestCluster[i] = label;
      out.distance[i] = Math.sqrt(dist2);
      out.score[i] = anomalyScore(dist2, index.densities[j], eps);
    }
    return out;
  }

  /** Scales `rows` rows of raw values into a new row-major array. */
  transform(values: Float64Array, rows: number): Float64Array {
    return this.state().scaler.transform(values, rows);
  }

  /** Returns the model file's bytes (see model-file.ts for the layout). */
  toBytes(): Uint8Array {
    this.bytes ??= encodeModel(this.modelData());
    return this.bytes;
  }

  private modelData(): ModelData {
    const fitted = this.state();
    return {
      features: this.features,
      scaler: fitted.scaler.toJSON(),
      eps: fitted.eps,
      epsMethod: fitted.epsMethod,
      minSamples: this.minSamples,
      clusters: fitted.clusters,
      noise: fitted.noise,
      overall: fitted.overall,
      summary: fitted.summary,
      coreSamples: fitted.index.samples,
      coreDensities: fitted.index.sampleDensities,
      coreLabels: fitted.index.sampleLabels,
    };
  }

  /**
   * Loads a model from the bytes of a model file. It scores exactly as the model
   * that was saved.
   *
   * @throws ModelFileError for bytes that are truncated, corrupt, of another format
   *   version, or not a model file
   */
  static fromBytes(bytes: Uint8Array): AnomalyModel {
    const data = decodeModel(bytes);
    const model = new AnomalyModel(optionsOf(data));
    model.restore(data, bytes);
    return model;
  }

  /** Installs decoded model data; shared by subclasses' loaders. */
  protected restore(data: ModelData, bytes: Uint8Array): void {
    const scaler = new StandardScaler(data.scaler);
    const index = new CoreIndex(
      data.coreSamples,
      data.coreLabels,
      data.coreDensities,
      this.features.length,
      scaler.scaledPeriods,
    );
    this.fitted = {
      scaler,
      eps: data.eps,
      epsMethod: data.epsMethod,
      index,
      clusters: data.clusters,
      noise: data.noise,
      overall: data.overall,
      summary: data.summary,
    };
    this.bytes = bytes;
  }

  private state(): Fitted {
    if (!this.fitted) throw new NotFittedError();
    return this.fitted;
  }

  /** Returns the fitted state after checking it has core samples to score against. */
  private scoringState(): Fitted {
    this.state();
    if (this.fitted!.index.size === 0) {
      throw new SighError(
        "NO_CLUSTERS",
        `the model has no core samples: every training row was noise at eps ${this.fitted!.eps} ` +
          `and minSamples ${this.minSamples}; raise eps or lower minSamples`,
      );
    }
    return this.fitted!;
  }

  /** Finds the nearest core sample's tree position; its squared distance goes to nearestOut[0]. */
  private nearestCore(values: ArrayLike<number>, offset: number): number {
    const { scaler, index } = this.scoringState();
    scaler.transformRow(values, offset, this.scaled, 0);
    const j = index.tree.nearest(this.scaled, 0, this.nearestOut);
    if (j < 0 || !Number.isFinite(this.nearestOut[0])) throw this.tooFarError(values, offset);
    return j;
  }

  /** Names the feature whose scaled value is too large for distances to be compared. */
  private tooFarError(values: ArrayLike<number>, offset: number): InputError {
    let worst = 0;
    for (let k = 1; k < this.features.length; k++) {
      if (Math.abs(this.scaled[k]) > Math.abs(this.scaled[worst])) worst = k;
    }
    const name = this.featureNames[worst];
    const value = values[offset + worst];
    return new InputError(
      `feature "${name}": ${value} is too far from the training data to measure ` +
        `(${this.scaled[worst]} standard units)`,
      { field: name, value: String(value) },
    );
  }

  /** Explains the row whose scaled form is in `this.scaled`, against core sample `j`. */
  private explainAgainst(values: ArrayLike<number>, offset: number, j: number): Deviation[] {
    const { index, clusters, overall } = this.state();
    const dims = this.features.length;
    const diff2 = new Float64Array(dims);
    const tree = index.tree;
    for (let k = 0; k < dims; k++) {
      let diff = Math.abs(this.scaled[k] - tree.coords[j * dims + k]);
      const period = tree.periods[k];
      if (period > 0 && diff > period - diff) diff = period - diff;
      diff2[k] = diff * diff;
    }
    return explain({
      features: this.features,
      raw: values,
      rawOffset: offset,
      reference: clusters[index.labels[j]],
      overall,
      scaledDiff2: diff2,
    });
  }
}

/** The model for Bob's Burgers orders: the six order features unless `features` is given. */
export class OrderAnomalyModel extends AnomalyModel {
  constructor(options: ModelOptions = {}) {
    super({ ...options, features: options.features ?? ORDER_FEATURES });
  }

  /** Loads an order model from model file bytes. */
  static override fromBytes(bytes: Uint8Array): OrderAnomalyModel {
    const data = decodeModel(bytes);
    const model = new OrderAnomalyModel(optionsOf(data));
    model.restore(data, bytes);
    return model;
  }
}

function optionsOf(data: ModelData): ModelOptions {
  return {
    eps: data.eps,
    minSamples: data.minSamples,
    features: data.features,
    scale: data.scaler.mode,
    minClusterShare: data.summary.minClusterShare ?? 0,
  };
}

function buildCoreIndex(
  scaled: Float64Array,
  dims: number,
  result: ReturnType<typeof dbscan>,
  periods: Float64Array,
): CoreIndex {
  const rows = result.labels.length;
  // Core samples of dissolved clusters (label -1) do not describe normal behaviour.
  const kept = (i: number) => result.isCore[i] === 1 && result.labels[i] >= 0;
  let count = 0;
  for (let i = 0; i < rows; i++) if (kept(i)) count++;
  const samples = new Float64Array(count * dims);
  const labels = new Int32Array(count);
  const densities = new Float64Array(count);
  let c = 0;
  for (let i = 0; i < rows; i++) {
    if (!kept(i)) continue;
    samples.set(scaled.subarray(i * dims, i * dims + dims), c * dims);
    labels[c] = result.labels[i];
    densities[c] = result.coreDistances ? result.coreDistances[i] : 0;
    c++;
  }
  return new CoreIndex(samples, labels, densities, dims, periods);
}
