/** Per-cluster feature statistics in raw units: what each cluster's normal looks like. */

import { circularDiff, circularMean, circularStd } from "./circular.js";
import type { FeatureSpec } from "./features.js";
import { medianInPlace } from "./select.js";
import type { ClusterProfile, FeatureProfile } from "./types.js";

/** Scale factor that turns a median absolute deviation into a normal standard deviation. */
const MAD_TO_STD = 1.4826;

export interface Profiles {
  clusters: ClusterProfile[];
  noise: ClusterProfile;
  /** All rows together: the reference for cluster names. */
  overall: ClusterProfile;
}

/**
 * Computes the profile of every cluster, of the noise and of all rows. Names are left
 * empty for `nameClusters`. O(n·d) expected.
 */
export function buildProfiles(
  values: Float64Array,
  rows: number,
  features: readonly FeatureSpec[],
  labels: Int32Array,
  isCore: Uint8Array,
  clusterCount: number,
): Profiles {
  const dims = features.length;
  // Group row indexes by label with a counting sort; slot 0 is noise, slot c + 1 cluster c.
  const counts = new Int32Array(clusterCount + 2);
  const cores = new Int32Array(clusterCount + 1);
  for (let i = 0; i < rows; i++) {
    counts[labels[i] + 2]++;
    if (isCore[i]) cores[labels[i] + 1]++;
  }
  for (let g = 1; g < counts.length; g++) counts[g] += counts[g - 1];
  const order = new Int32Array(rows);
  const fill = counts.slice(0, clusterCount + 1);
  for (let i = 0; i < rows; i++) order[fill[labels[i] + 1]++] = i;

  const profile = (id: number, members: Int32Array, coreCount: number): ClusterProfile => ({
    id,
    name: "",
    size: members.length,
    coreCount,
    share: rows > 0 ? members.length / rows : 0,
    features: features.map((f, k) => featureProfile(f, values, dims, k, members)),
  });

  const clusters: ClusterProfile[] = [];
  for (let c = 0; c < clusterCount; c++) {
    clusters.push(profile(c, order.subarray(counts[c + 1], counts[c + 2]), cores[c + 1]));
  }
  const noise = profile(-1, order.subarray(0, counts[1]), 0);
  const all = new Int32Array(rows);
  for (let i = 0; i < rows; i++) all[i] = i;
  const overall = profile(-2, all, cores.reduce((a, b) => a + b, 0));
  return { clusters, noise, overall };
}

function featureProfile(
  spec: FeatureSpec,
  values: Float64Array,
  dims: number,
  k: number,
  members: Int32Array,
): FeatureProfile {
  const n = members.length;
  const column = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = values[members[i] * dims + k];
    column[i] = x;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (n === 0) {
    return { feature: spec.name, mean: 0, median: 0, std: 0, spread: 0, min: 0, max: 0 };
  }

  const period = spec.period ?? 0;
  if (period > 0) {
    const centre = circularMean(column, period);
    const std = circularStd(column, period);
    for (let i = 0; i < n; i++) column[i] = Math.abs(circularDiff(column[i], centre, period));
    const mad = medianInPlace(column) * MAD_TO_STD;
    return { feature: spec.name, mean: centre, median: centre, std, spread: mad > 0 ? mad : std, min, max };
  }

  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (column[i] - mean) ** 2;
  const std = Math.sqrt(squares / n);
  const median = medianInPlace(column);
  for (let i = 0; i < n; i++) column[i] = Math.abs(column[i] - median);
  const mad = medianInPlace(column) * MAD_TO_STD;
  return { feature: spec.name, mean, median, std, spread: mad > 0 ? mad : std, min, max };
}
