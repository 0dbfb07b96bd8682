/**
 * A static kd-tree over points stored flat in typed arrays.
 *
 * Layout: `coords` contains the points in tree order, row-major (point j at
 * `coords[j * dims + k]`); `ids[j]` is that point's index in the caller's array. Node
 * `v` covers tree positions `start[v]` to `end[v] - 1`, with children `left[v]` and
 * `right[v]` (-1 at a leaf) and a bounding box `lo/hi[v * dims + k]`.
 *
 * Distances are Euclidean and compared squared. An axis with a period > 0 wraps
 * around (a scaled hour of day): its coordinates must lie in [0, period), and the
 * difference along it is the shorter way round the circle.
 */

const LEAF_SIZE = 16;

/** The arrays that make up a tree; see the layout above. */
export interface KdTreeParts {
  size: number;
  dims: number;
  periods: Float64Array;
  coords: Float64Array;
  ids: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  identical: Uint8Array;
  nodeCount: number;
}

export class KdTree {
  readonly size: number;
  readonly dims: number;
  readonly coords: Float64Array;
  readonly ids: Uint32Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly nodeCount: number;
  /** 1 for a leaf whose points are all the same point. */
  readonly identical: Uint8Array;
  /** Period per axis, 0 where the axis does not wrap. */
  readonly periods: Float64Array;
  readonly hasPeriodic: boolean;

  /** Output of `boxDist2`: the largest squared distance to the last box tested. */
  farthest2 = 0;

  private readonly stack: Int32Array;
  /** Box distance of each stacked node, for searches that visit nearer nodes first. */
  private readonly stackBounds: Float64Array;

  /**
   * Builds the tree in O(n log n) time and O(n) memory.
   *
   * @param points row-major coordinates, `size * dims` values; not modified
   * @param periods optional period per axis (0 = no wrap)
   */
  constructor(points: Float64Array, size: number, dims: number, periods?: Float64Array);
  /** Wraps arrays from `parts()`, for instance shared with a worker thread. */
  constructor(parts: KdTreeParts);
  constructor(
    source: Float64Array | KdTreeParts,
    size?: number,
    dims?: number,
    periods?: Float64Array,
  ) {
    if (!(source instanceof Float64Array)) {
      this.size = source.size;
      this.dims = source.dims;
      this.periods = source.periods;
      this.hasPeriodic = this.periods.some((p) => p > 0);
      this.coords = source.coords;
      this.ids = source.ids;
      this.start = source.start;
      this.end = source.end;
      this.left = source.left;
      this.right = source.right;
      this.lo = source.lo;
      this.hi = source.hi;
      this.identical = source.identical;
      this.nodeCount = source.nodeCount;
    } else {
      const n = size ?? 0;
      const d = dims ?? 1;
      this.size = n;
      this.dims = d;
      this.periods = periods ? Float64Array.from(periods) : new Float64Array(d);
      this.hasPeriodic = this.periods.some((p) => p > 0);
      this.coords = source.slice(0, n * d);
      this.ids = new Uint32Array(n);
      for (let i = 0; i < n; i++) this.ids[i] = i;

      const maxNodes = Math.max(1, 2 * Math.ceil(n / (LEAF_SIZE / 2)));
      this.start = new Uint32Array(maxNodes);
      this.end = new Uint32Array(maxNodes);
      this.left = new Int32Array(maxNodes).fill(-1);
      this.right = new Int32Array(maxNodes).fill(-1);
      this.lo = new Float64Array(maxNodes * d);
      this.hi = new Float64Array(maxNodes * d);
      this.identical = new Uint8Array(maxNodes);
      this.nodeCount = this.build(0, n, 0);
    }
    this.stack = new Int32Array(Math.max(64, this.nodeCount + 1));
    this.stackBounds = new Float64Array(this.stack.length);
  }

  /** Returns the tree's arrays, to rebuild it elsewhere with `new KdTree(parts)` without copying. */
  parts(): KdTreeParts {
    const { size, dims, periods, coords, ids, start, end, left, right, lo, hi, identical, nodeCount } = this;
    return { size, dims, periods, coords, ids, start, end, left, right, lo, hi, identical, nodeCount };
  }

  /** Builds the subtree over positions [from, to) as node `node`; returns the next free node. */
  private build(from: number, to: number, node: number): number {
    const d = this.dims;
    this.start[node] = from;
    this.end[node] = to;
    this.computeBox(node, from, to);
    if (to - from <= LEAF_SIZE) return node + 1;

    // Split at the median of the axis with the widest box.
    let axis = 0;
    let widest = -1;
    for (let k = 0; k < d; k++) {
      const width = this.hi[node * d + k] - this.lo[node * d + k];
      if (width > widest) {
        widest = width;
        axis = k;
      }
    }
    if (widest <= 0) {
      // All points identical: one leaf of any size, searched as a single point.
      this.identical[node] = 1;
      return node + 1;
    }
    const mid = (from + to) >>> 1;
    this.select(from, to - 1, mid, axis);

    const leftNode = node + 1;
    this.left[node] = leftNode;
    const rightNode = this.build(from, mid, leftNode);
    this.right[node] = rightNode;
    return this.build(mid, to, rightNode);
  }

  private computeBox(node: number, from: number, to: number): void {
    const d = this.dims;
    const c = this.coords;
    for (let k = 0; k < d; k++) {
      let min = Infinity;
      let max = -Infinity;
      for (let j = from; j < to; j++) {
        const x = c[j * d + k];
        if (x < min) min = x;
        if (x > max) max = x;
      }
      this.lo[node * d + k] = min;
      this.hi[node * d + k] = max;
    }
  }

  /** Quickselect (Hoare partition) so position `kth` contains its sorted value on `axis`. */
  private select(left: number, right: number, kth: number, axis: number): void {
    const d = this.dims;
    const c = this.coords;
    while (right > left) {
      const pivot = c[((left + right) >>> 1) * d + axis];
      let i = left;
      let j = right;
      while (i <= j) {
        while (c[i * d + axis] < pivot) i++;
        while (c[j * d + axis] > pivot) j--;
        if (i <= j) {
          this.swap(i, j);
          i++;
          j--;
        }
      }
      if (kth <= j) right = j;
      else if (kth >= i) left = i;
      else return;
    }
  }

  private swap(i: number, j: number): void {
    const d = this.dims;
    const c = this.coords;
    for (let k = 0; k < d; k++) {
      const t = c[i * d + k];
      c[i * d + k] = c[j * d + k];
      c[j * d + k] = t;
    }
    const t = this.ids[i];
    this.ids[i] = this.ids[j];
    this.ids[j] = t;
  }

  /** Squared distance from `q` (at `qOffset`) to the point at tree position `j`. */
  dist2(q: ArrayLike<number>, qOffset: number, j: number): number {
    const d = this.dims;
    const c = this.coords;
    const base = j * d;
    let sum = 0;
    if (!this.hasPeriodic) {
      for (let k = 0; k < d; k++) {
        const diff = q[qOffset + k] - c[base + k];
        sum += diff * diff;
      }
      return sum;
    }
    for (let k = 0; k < d; k++) {
      let diff = q[qOffset + k] - c[base + k];
      const period = this.periods[k];
      if (period > 0) {
        diff = Math.abs(diff);
        if (diff > period - diff) diff = period - diff;
      }
      sum += diff * diff;
    }
    return sum;
  }

  /** Smallest squared distance from `q` to any point that could lie in node `v`'s box. */
  minDist2(q: ArrayLike<number>, qOffset: number, v: number): number {
    const d = this.dims;
    const lo = this.lo;
    const hi = this.hi;
    const base = v * d;
    let sum = 0;
    for (let k = 0; k < d; k++) {
      const x = q[qOffset + k];
      let diff = 0;
      if (x < lo[base + k]) diff = lo[base + k] - x;
      else if (x > hi[base + k]) diff = x - hi[base + k];
      else continue;
      const period = this.periods[k];
      if (period > 0) {
        // The box may be closer the other way round the circle.
        const wrapped = x < lo[base + k] ? x + period - hi[base + k] : lo[base + k] + period - x;
        if (wrapped < diff) diff = wrapped;
      }
      sum += diff * diff;
    }
    return sum;
  }

  /**
   * Returns the smallest squared distance from `q` to node `v`'s box and writes the
   * largest to `this.farthest2`: one pass for the two tests every radius query makes.
   */
  boxDist2(q: ArrayLike<number>, qOffset: number, v: number): number {
    if (this.hasPeriodic) {
      this.farthest2 = this.maxDist2(q, qOffset, v);
      return this.minDist2(q, qOffset, v);
    }
    const d = this.dims;
    const lo = this.lo;
    const hi = this.hi;
    const base = v * d;
    let near = 0;
    let far = 0;
    for (let k = 0; k < d; k++) {
      const x = q[qOffset + k];
      const below = x - lo[base + k];
      const above = hi[base + k] - x;
      if (below < 0) near += below * below;
      else if (above < 0) near += above * above;
      const widest = below > above ? below : above;
      far += widest * widest;
    }
    this.farthest2 = far;
    return near;
  }

  /** Largest squared distance from `q` to any point of node `v`'s box. */
  maxDist2(q: ArrayLike<number>, qOffset: number, v: number): number {
    const d = this.dims;
    let sum = 0;
    for (let k = 0; k < d; k++) {
      const x = q[qOffset + k];
      const lo = this.lo[v * d + k];
      const hi = this.hi[v * d + k];
      let diff = Math.max(Math.abs(x - lo), Math.abs(hi - x));
      const period = this.periods[k];
      if (period > 0) diff = maxCircularGap(x, lo, hi, period);
      sum += diff * diff;
    }
    return sum;
  }

  /**
   * Returns the smallest squared distance between the boxes of nodes `a` and `b` and
   * writes an upper bound of the largest to `this.farthest2`. Along a wrapping axis
   * both are bounds, not exact values.
   */
  boxToBoxDist2(a: number, b: number): number {
    const d = this.dims;
    const lo = this.lo;
    const hi = this.hi;
    let near = 0;
    let far = 0;
    for (let k = 0; k < d; k++) {
      const aLo = lo[a * d + k];
      const aHi = hi[a * d + k];
      const bLo = lo[b * d + k];
      const bHi = hi[b * d + k];
      let gap = bLo - aHi > aLo - bHi ? bLo - aHi : aLo - bHi;
      let span = bHi - aLo > aHi - bLo ? bHi - aLo : aHi - bLo;
      const period = this.periods[k];
      if (period > 0) {
        // Either box may be nearer the other way round the circle.
        const wrappedGap = Math.min(bLo + period - aHi, aLo + period - bHi);
        if (wrappedGap < gap) gap = wrappedGap;
        if (span > period / 2) span = period / 2;
      }
      if (gap > 0) near += gap * gap;
      far += span * span;
    }
    this.farthest2 = far;
    return near;
  }

  /**
   * Counts points within `sqrt(r2)` of `q` (inclusive), stopping once `limit` is
   * reached. O(log n + limit) for well-spread data.
   */
  countWithin(q: ArrayLike<number>, qOffset: number, r2: number, limit: number): number {
    if (this.size === 0) return 0;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    let count = 0;
    while (top > 0) {
      const v = stack[--top];
      if (this.boxDist2(q, qOffset, v) > r2) continue;
      const from = this.start[v];
      const to = this.end[v];
      if (this.farthest2 <= r2) {
        count += to - from;
        if (count >= limit) return count;
        continue;
      }
      if (this.left[v] < 0) {
        for (let j = from; j < to; j++) {
          if (this.dist2(q, qOffset, j) <= r2 && ++count >= limit) return count;
        }
        continue;
      }
      stack[top++] = this.right[v];
      stack[top++] = this.left[v];
    }
    return count;
  }

  /**
   * Calls `visit(position)` for every tree position within `sqrt(r2)` of `q`,
   * inclusive. The caller maps positions to its own indexes through `ids`.
   */
  forEachWithin(
    q: ArrayLike<number>,
    qOffset: number,
    r2: number,
    visit: (position: number) => void,
  ): void {
    if (this.size === 0) return;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const v = stack[--top];
      if (this.minDist2(q, qOffset, v) > r2) continue;
      if (this.left[v] < 0) {
        for (let j = this.start[v]; j < this.end[v]; j++) {
          if (this.dist2(q, qOffset, j) <= r2) visit(j);
        }
        continue;
      }
      stack[top++] = this.right[v];
      stack[top++] = this.left[v];
    }
  }

  /**
   * Finds the tree position of the nearest point to `q` and writes its squared
   * distance to `out[0]`. Ties go to the first position met. Returns -1 on an empty
   * tree. O(log n) expected.
   */
  nearest(q: ArrayLike<number>, qOffset: number, out: Float64Array): number {
    if (this.size === 0) {
      out[0] = Infinity;
      return -1;
    }
    const stack = this.stack;
    const bounds = this.stackBounds;
    let top = 0;
    stack[top] = 0;
    bounds[top++] = 0;
    let best = -1;
    let bestD2 = Infinity;
    while (top > 0) {
      const v = stack[--top];
      if (bounds[top] >= bestD2) continue;
      const l = this.left[v];
      if (l < 0) {
        const end = this.identical[v] ? this.start[v] + 1 : this.end[v];
        for (let j = this.start[v]; j < end; j++) {
          const d2 = this.dist2(q, qOffset, j);
          if (d2 < bestD2) {
            bestD2 = d2;
            best = j;
          }
        }
        continue;
      }
      top = this.pushChildren(q, qOffset, v, top, bestD2);
    }
    out[0] = bestD2;
    return best;
  }

  /**
   * Pushes the children of `v` whose boxes are nearer than `limit`, the nearer one
   * last so it is searched first, with their distances. Returns the new stack top.
   */
  private pushChildren(q: ArrayLike<number>, qOffset: number, v: number, top: number, limit: number): number {
    const l = this.left[v];
    const r = this.right[v];
    const dl = this.minDist2(q, qOffset, l);
    const dr = this.minDist2(q, qOffset, r);
    const stack = this.stack;
    const bounds = this.stackBounds;
    if (dl <= dr) {
      if (dr < limit) {
        stack[top] = r;
        bounds[top++] = dr;
      }
      if (dl < limit) {
        stack[top] = l;
        bounds[top++] = dl;
      }
    } else {
      if (dl < limit) {
        stack[top] = l;
        bounds[top++] = dl;
      }
      if (dr < limit) {
        stack[top] = r;
        bounds[top++] = dr;
      }
    }
    return top;
  }

  /**
   * Writes the squared distances of the `k` nearest points to `q` (itself included
   * when `q` is in the tree) into `out[0..k)`, ascending. `out` must hold `k`
   * values; fewer than `k` points leave `bound` in the rest.
   *
   * @param bound only distances below this squared bound are searched for; a caller
   *   that knows k points lie within it saves most of the search
   */
  knnDistances2(
    q: ArrayLike<number>,
    qOffset: number,
    k: number,
    out: Float64Array,
    bound = Infinity,
  ): void {
    // `out` is kept as a max-heap of the best k while searching, then sorted.
    out.fill(bound, 0, k);
    if (this.size === 0 || k === 0) return;
    const stack = this.stack;
    const bounds = this.stackBounds;
    let top = 0;
    stack[top] = 0;
    bounds[top++] = 0;
    while (top > 0) {
      const v = stack[--top];
      if (bounds[top] >= out[0]) continue;
      if (this.left[v] < 0) {
        const from = this.start[v];
        if (this.identical[v]) {
          // Every point of the leaf is at the same distance: insert up to k copies.
          const d2 = this.dist2(q, qOffset, from);
          const copies = Math.min(k, this.end[v] - from);
          for (let c = 0; c < copies && d2 < out[0]; c++) replaceHeapTop(out, k, d2);
          continue;
        }
        for (let j = from; j < this.end[v]; j++) {
          const d2 = this.dist2(q, qOffset, j);
          if (d2 < out[0]) replaceHeapTop(out, k, d2);
        }
        continue;
      }
      top = this.pushChildren(q, qOffset, v, top, out[0]);
    }
    out.subarray(0, k).sort();
  }
}

/** Largest circular distance from `x` to a point in [lo, hi], all within [0, period). */
function maxCircularGap(x: number, lo: number, hi: number, period: number): number {
  const half = period / 2;
  const opposite = x + half < period ? x + half : x - half;
  if (opposite >= lo && opposite <= hi) return half;
  return Math.max(circularGap(x, lo, period), circularGap(x, hi, period));
}

function circularGap(a: number, b: number, period: number): number {
  const diff = Math.abs(a - b);
  return diff > period - diff ? period - diff : diff;
}

/** Replaces the largest value of a max-heap of `k` values with `value`, sifting down. */
function replaceHeapTop(heap: Float64Array, k: number, value: number): void {
  let i = 0;
  while (true) {
    const l = 2 * i + 1;
    if (l >= k) break;
    const r = l + 1;
    const child = r < k && heap[r] > heap[l] ? r : l;
    if (heap[child] <= value) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = value;
}
