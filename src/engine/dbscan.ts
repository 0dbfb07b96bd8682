/**
 * DBSCAN with scikit-learn's semantics, in memory linear in the number of points.
 *
 * - `eps` is inclusive: a point at exactly `eps` is a neighbour.
 * - `minSamples` counts the point itself.
 * - Noise is -1. Clusters are numbered in the order of their lowest-index core point.
 * - A border point takes the smallest cluster number among the core points within `eps`.
 *
 * No neighbourhood is ever stored. The core test stops counting at `minSamples`.
 * Connectivity joins core points with a union-find over a second tree of core points
 * only. It skips every subtree whose points are already in the query point's
 * component, and joins whole subtrees that lie within `eps` without a distance each.
 */

import { ParameterError } from "./errors.js";
import { KdTree } from "./kdtree.js";
import type { Progress } from "./types.js";

export interface DbscanOptions {
  eps: number;
  minSamples: number;
  /** Period per axis (0 = no wrap), in the same units as the points. */
  periods?: Float64Array;
  onProgress?: (progress: Progress) => void;
  /**
   * Also compute each core sample's k-distance (k = minSamples), for scoring. The
   * core test then comes from the same search.
   */
  coreDistances?: boolean;
  /** A tree already built over `points` with the same periods. */
  tree?: KdTree;
  /** Runs the k-distance search; the default runs it here. A Node caller can spread it over threads. */
  kDistanceRunner?: KDistanceRunner;
}

/**
 * Writes, for every point of `tree`, its squared distance to its k-th nearest point
 * (itself counted) into `out[id]`, or a value above `bound2` when fewer than k points
 * lie within it.
 */
export type KDistanceRunner = (
  tree: KdTree,
  k: number,
  bound2: number,
  out: Float64Array,
  onProgress: (done: number) => void,
) => void;

/** Writes the squared k-distances of tree positions [from, to) into `out` by point id. */
export function kDistances2InRange(
  tree: KdTree,
  k: number,
  bound2: number,
  out: Float64Array,
  from: number,
  to: number,
): void {
  const d = tree.dims;
  const scratch = new Float64Array(k);
  for (let j = from; j < to; j++) {
    tree.knnDistances2(tree.coords, j * d, k, scratch, bound2);
    out[tree.ids[j]] = scratch[k - 1];
  }
}

/** Runs the whole search on the calling thread: the default runner. */
export const sequentialKDistances: KDistanceRunner = (tree, k, bound2, out, onProgress) => {
  for (let from = 0; from < tree.size; from += PROGRESS_STEP) {
    const to = Math.min(tree.size, from + PROGRESS_STEP);
    kDistances2InRange(tree, k, bound2, out, from, to);
    onProgress(to);
  }
};

export interface DbscanResult {
  /** Cluster per point, -1 for noise. */
  labels: Int32Array;
  /** 1 for core samples. */
  isCore: Uint8Array;
  clusterCount: number;
  /**
   * With `coreDistances`: per point, the distance to its minSamples-th nearest
   * neighbour (itself counted) for core samples, NaN for the others.
   */
  coreDistances?: Float64Array;
}

const PROGRESS_STEP = 16384;

/**
 * Clusters `rows` points of `dims` values each, stored row-major in `points`.
 * Roughly O(n log n) for data of bounded density.
 *
 * @throws ParameterError when eps is not a positive finite number or minSamples is
 *   not an integer of at least 1.
 * @example dbscan(new Float64Array([0, 0, 0, 1, 5, 5]), 3, 2, { eps: 1, minSamples: 2 })
 *   // labels [0, 0, -1], isCore [1, 1, 0]
 */
export function dbscan(
  points: Float64Array,
  rows: number,
  dims: number,
  options: DbscanOptions,
): DbscanResult {
  const { eps, minSamples } = options;
  checkParameters(eps, minSamples);
  const r2 = eps * eps;
  const report = options.onProgress ?? (() => {});

  const tree = options.tree ?? new KdTree(points, rows, dims, options.periods);
  let isCore: Uint8Array;
  let coreDistances: Float64Array | undefined;
  if (options.coreDistances) {
    ({ isCore, coreDistances } = coreSamplesWithDistances(tree, r2, minSamples, options, report));
  } else {
    isCore = findCoreSamples(tree, r2, minSamples, report);
  }

  const coreIndexes: number[] = [];
  for (let i = 0; i < rows; i++) if (isCore[i]) coreIndexes.push(i);
  const corePoints = new Float64Array(coreIndexes.length * dims);
  coreIndexes.forEach((i, c) => corePoints.set(points.subarray(i * dims, i * dims + dims), c * dims));
  const coreTree = new KdTree(corePoints, coreIndexes.length, dims, options.periods);

  const components = connectCoreSamples(coreTree, r2, report);
  const labels = new Int32Array(rows).fill(-1);
  const clusterCount = numberClusters(coreTree, components, coreIndexes, labels);
  assignBorderPoints(points, dims, isCore, coreTree, coreIndexes, labels, r2, report);
  return { labels, isCore, clusterCount, coreDistances };
}

function checkParameters(eps: number, minSamples: number): void {
  if (!(typeof eps === "number" && Number.isFinite(eps) && eps > 0)) {
    throw new ParameterError("eps", `eps must be a positive finite number, received ${eps}`);
  }
  if (!(Number.isInteger(minSamples) && minSamples >= 1)) {
    throw new ParameterError(
      "minSamples",
      `minSamples must be an integer of at least 1, received ${minSamples}`,
    );
  }
}

/** Marks points with at least `minSamples` points (themselves included) within eps. */
function findCoreSamples(
  tree: KdTree,
  r2: number,
  minSamples: number,
  report: (p: Progress) => void,
): Uint8Array {
  const n = tree.size;
  const d = tree.dims;
  const isCore = new Uint8Array(n);
  // Walk leaf by leaf in tree order, so consecutive queries touch the same nodes.
  let done = 0;
  for (let a = 0; a < tree.nodeCount; a++) {
    if (tree.left[a] >= 0) continue;
    const from = tree.start[a];
    const to = tree.end[a];
    // A leaf at most eps across with minSamples points is all core samples.
    const wholeLeaf = to - from >= minSamples && tree.boxToBoxDist2(a, a) <= r2 && tree.farthest2 <= r2;
    for (let j = from; j < to; j++) {
      if (wholeLeaf || tree.countWithin(tree.coords, j * d, r2, minSamples) >= minSamples) {
        isCore[tree.ids[j]] = 1;
      }
    }
    if (Math.floor(done / PROGRESS_STEP) !== Math.floor(to / PROGRESS_STEP)) {
      report({ phase: "core", done: to, total: n });
    }
    done = to;
  }
  report({ phase: "core", done: n, total: n });
  return isCore;
}

/** Union-find over core tree positions, with path halving. */
class DisjointSets {
  readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return ra;
    // The smaller root wins, which keeps the result independent of visiting order.
    if (ra < rb) {
      this.parent[rb] = ra;
      return ra;
    }
    this.parent[ra] = rb;
    return rb;
  }
}

/**
 * Joins every pair of core samples within eps into one component.
 *
 * `uniform[v]` caches a member of node v when all of v's points are known to share a
 * component. Components only ever merge, so a cached entry stays true.
 */
function connectCoreSamples(
  tree: KdTree,
  r2: number,
  report: (p: Progress) => void,
): DisjointSets {
  const m = tree.size;
  const d = tree.dims;
  const sets = new DisjointSets(m);
  const uniform = new Int32Array(tree.nodeCount).fill(-1);
  if (m === 0) return sets;

  const visit = (p: number, v: number): void => {
    const cached = uniform[v];
    if (cached >= 0 && sets.find(cached) === sets.find(p)) return;
    if (tree.boxDist2(tree.coords, p * d, v) > r2) return;

    const from = tree.start[v];
    const to = tree.end[v];
    if (tree.farthest2 <= r2) {
      // The whole node is within eps of p.
      if (cached >= 0) sets.union(p, cached);
      else for (let j = from; j < to; j++) sets.union(p, j);
      uniform[v] = p;
      return;
    }

    if (tree.left[v] < 0) {
      let joined = false;
      const root = sets.find(p);
      for (let j = from; j < to; j++) {
        // A point already in p's component needs no distance.
        if (sets.find(j) === root && cached < 0) continue;
        if (tree.dist2(tree.coords, p * d, j) > r2) continue;
        sets.union(p, j);
        joined = true;
        if (cached >= 0) break; // one link joins the whole uniform leaf
      }
      if (joined && cached < 0 && leafIsUniform(sets, from, to)) uniform[v] = from;
      return;
    }

    visit(p, tree.left[v]);
    visit(p, tree.right[v]);
    const l = uniform[tree.left[v]];
    const r = uniform[tree.right[v]];
    if (uniform[v] < 0 && l >= 0 && r >= 0 && sets.find(l) === sets.find(r)) uniform[v] = l;
  };

  // Joins every core point within eps of any point of leaf `a`, whose points all share
  // one component (`member` is one of them): one search per leaf, box against box.
  const visitFromLeaf = (a: number, member: number, v: number): void => {
    const cached = uniform[v];
    if (cached >= 0 && sets.find(cached) === sets.find(member)) return;
    if (tree.boxToBoxDist2(a, v) > r2) return;

    const from = tree.start[v];
    const to = tree.end[v];
    if (tree.farthest2 <= r2) {
      if (cached >= 0) sets.union(member, cached);
      else for (let j = from; j < to; j++) sets.union(member, j);
      uniform[v] = member;
      return;
    }

    if (tree.left[v] < 0) {
      let joined = false;
      for (let j = from; j < to && !(joined && cached >= 0); j++) {
        if (sets.find(j) === sets.find(member)) continue;
        for (let i = tree.start[a]; i < tree.end[a]; i++) {
          if (tree.dist2(tree.coords, i * d, j) <= r2) {
            sets.union(member, j);
            joined = true;
            break;
          }
        }
      }
      if (joined && cached < 0 && leafIsUniform(sets, from, to)) uniform[v] = from;
      return;
    }

    visitFromLeaf(a, member, tree.left[v]);
    visitFromLeaf(a, member, tree.right[v]);
    const l = uniform[tree.left[v]];
    const r = uniform[tree.right[v]];
    if (uniform[v] < 0 && l >= 0 && r >= 0 && sets.find(l) === sets.find(r)) uniform[v] = l;
  };

  let done = 0;
  for (let a = 0; a < tree.nodeCount; a++) {
    if (tree.left[a] >= 0) continue;
    const from = tree.start[a];
    const to = tree.end[a];
    joinWithinLeaf(tree, sets, a, r2);
    if (leafIsUniform(sets, from, to)) {
      uniform[a] = from;
      visitFromLeaf(a, from, 0);
    } else {
      for (let p = from; p < to; p++) visit(p, 0);
    }
    if (Math.floor(done / PROGRESS_STEP) !== Math.floor(to / PROGRESS_STEP)) {
      report({ phase: "connect", done: to, total: m });
    }
    done = to;
  }
  report({ phase: "connect", done: m, total: m });
  return sets;
}

/** Joins the pairs of points of one leaf that are within eps of each other. */
function joinWithinLeaf(tree: KdTree, sets: DisjointSets, leaf: number, r2: number): void {
  const d = tree.dims;
  const from = tree.start[leaf];
  const to = tree.end[leaf];
  if (tree.identical[leaf]) {
    for (let i = from + 1; i < to; i++) sets.union(from, i);
    return;
  }
  for (let i = from; i < to; i++) {
    for (let j = i + 1; j < to; j++) {
      if (sets.find(i) === sets.find(j)) continue;
      if (tree.dist2(tree.coords, i * d, j) <= r2) sets.union(i, j);
    }
  }
}

function leafIsUniform(sets: DisjointSets, from: number, to: number): boolean {
  const root = sets.find(from);
  for (let j = from + 1; j < to; j++) if (sets.find(j) !== root) return false;
  return true;
}

/** Numbers components in the order of their lowest-index core point; returns the count. */
function numberClusters(
  coreTree: KdTree,
  sets: DisjointSets,
  coreIndexes: number[],
  labels: Int32Array,
): number {
  const m = coreIndexes.length;
  // positionOf[c] = tree position of the c-th core sample in input order.
  const positionOf = new Uint32Array(m);
  for (let j = 0; j < m; j++) positionOf[coreTree.ids[j]] = j;

  const labelOfRoot = new Int32Array(m).fill(-1);
  let next = 0;
  for (let c = 0; c < m; c++) {
    const root = sets.find(positionOf[c]);
    if (labelOfRoot[root] < 0) labelOfRoot[root] = next++;
    labels[coreIndexes[c]] = labelOfRoot[root];
  }
  return next;
}

/** Gives each non-core point the smallest cluster number among core samples within eps. */
function assignBorderPoints(
  points: Float64Array,
  dims: number,
  isCore: Uint8Array,
  coreTree: KdTree,
  coreIndexes: number[],
  labels: Int32Array,
  r2: number,
  report: (p: Progress) => void,
): void {
  const n = isCore.length;
  let best = -1;
  const visit = (position: number): void => {
    const label = labels[coreIndexes[coreTree.ids[position]]];
    if (best < 0 || label < best) best = label;
  };
  for (let i = 0; i < n; i++) {
    if (isCore[i]) continue;
    best = -1;
    coreTree.forEachWithin(points, i * dims, r2, visit);
    labels[i] = best;
    if (i % PROGRESS_STEP === 0) report({ phase: "border", done: i, total: n });
  }
  report({ phase: "border", done: n, total: n });
}

/**
 * Finds core samples and their k-distances in one search: a point is core exactly
 * when its minSamples-th nearest point (itself counted) lies within eps.
 */
function coreSamplesWithDistances(
  tree: KdTree,
  r2: number,
  minSamples: number,
  options: DbscanOptions,
  report: (p: Progress) => void,
): { isCore: Uint8Array; coreDistances: Float64Array } {
  const n = tree.size;
  const kd2 = new Float64Array(n);
  // Searching a hair beyond eps keeps a point at exactly eps; nothing farther matters.
  const bound2 = r2 * (1 + 4 * Number.EPSILON);
  const runner = options.kDistanceRunner ?? sequentialKDistances;
  runner(tree, minSamples, bound2, kd2, (done) => report({ phase: "core", done, total: n }));
  report({ phase: "core", done: n, total: n });

  const isCore = new Uint8Array(n);
  const coreDistances = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (kd2[i] <= r2) {
      isCore[i] = 1;
      coreDistances[i] = Math.sqrt(kd2[i]);
    }
  }
  return { isCore, coreDistances };
}
