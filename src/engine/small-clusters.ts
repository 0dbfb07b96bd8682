/**
 * Dissolving clusters too small to count as normal. Repeated abuse (a scripted
 * client, a runaway job) is dense enough to form a cluster of its own. Requiring a
 * cluster to contain a minimum share of the rows turns such clusters back into noise.
 */

import type { KdTree } from "./kdtree.js";

/**
 * Relabels the rows of clusters smaller than `minSize` as noise (-1) and renumbers
 * the remaining clusters in their old order. Returns the new cluster count and how
 * many clusters and rows were dissolved. O(n).
 */
export function dissolveSmallClusters(
  labels: Int32Array,
  clusterCount: number,
  minSize: number,
): { clusterCount: number; dissolvedClusters: number; dissolvedRows: number } {
  const sizes = new Int32Array(clusterCount);
  for (const label of labels) if (label >= 0) sizes[label]++;
  const renumber = new Int32Array(clusterCount).fill(-1);
  let next = 0;
  for (let c = 0; c < clusterCount; c++) if (sizes[c] >= minSize) renumber[c] = next++;

  let dissolvedRows = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) continue;
    const label = renumber[labels[i]];
    if (label < 0) dissolvedRows++;
    labels[i] = label;
  }
  return { clusterCount: next, dissolvedClusters: clusterCount - next, dissolvedRows };
}

/**
 * Gives each noise row that lies within eps of a remaining core sample the smallest
 * cluster number among those samples, as DBSCAN does for border points. After
 * dissolving, a former border row can sit within eps of another cluster's core.
 *
 * @param coreTree tree over the remaining core samples
 * @param coreLabels cluster per tree position of `coreTree`
 */
export function reattachBorderRows(
  scaled: Float64Array,
  dims: number,
  labels: Int32Array,
  coreTree: KdTree,
  coreLabels: Int32Array,
  eps: number,
): number {
  let reattached = 0;
  let best = -1;
  const visit = (position: number): void => {
    const label = coreLabels[position];
    if (best < 0 || label < best) best = label;
  };
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= 0) continue;
    best = -1;
    coreTree.forEachWithin(scaled, i * dims, eps * eps, visit);
    if (best >= 0) {
      labels[i] = best;
      reattached++;
    }
  }
  return reattached;
}
