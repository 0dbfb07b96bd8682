/**
 * The scoring index: a kd-tree over the DBSCAN core samples (scaled), each with its
 * cluster and its k-distance. Scoring a new event is one nearest-neighbour query.
 */

import { KdTree } from "./kdtree.js";

export class CoreIndex {
  readonly tree: KdTree;
  /** Cluster per tree position. */
  readonly labels: Int32Array;
  /** k-distance per tree position: how spread out that core sample's neighbourhood is. */
  readonly densities: Float64Array;
  /** Core samples in their original order, row-major, as saved in model files. */
  readonly samples: Float64Array;
  readonly sampleLabels: Int32Array;
  readonly sampleDensities: Float64Array;

  /**
   * @param samples core samples, row-major scaled coordinates
   * @param labels cluster per core sample
   * @param densities k-distance per core sample
   */
  constructor(
    samples: Float64Array,
    labels: Int32Array,
    densities: Float64Array,
    dims: number,
    periods: Float64Array,
  ) {
    const count = labels.length;
    this.samples = samples;
    this.sampleLabels = labels;
    this.sampleDensities = densities;
    this.tree = new KdTree(samples, count, dims, periods);
    this.labels = new Int32Array(count);
    this.densities = new Float64Array(count);
    for (let j = 0; j < count; j++) {
      this.labels[j] = labels[this.tree.ids[j]];
      this.densities[j] = densities[this.tree.ids[j]];
    }
  }

  get size(): number {
    return this.labels.length;
  }
}
