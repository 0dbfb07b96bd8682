/**
 * Worker thread of the parallel k-distance search. It rebuilds the kd-tree over
 * shared memory, takes position ranges from a shared counter until none are left, and
 * adds the rows it finished to a shared progress count.
 */

import { parentPort } from "node:worker_threads";
import { KdTree, kDistances2InRange, type KdTreeParts } from "../engine/index.js";

/** One search, sent once per fit. */
export interface KDistanceTask {
  parts: KdTreeParts;
  k: number;
  bound2: number;
  /** Shared output, squared k-distance by point id. */
  out: Float64Array;
  /** Shared Int32Array: [next range start, rows done, workers finished]. */
  control: Int32Array;
  chunk: number;
}

parentPort?.on("message", (task: KDistanceTask) => {
  const tree = new KdTree(task.parts);
  const { control, chunk } = task;
  while (true) {
    const from = Atomics.add(control, 0, chunk);
    if (from >= tree.size) break;
    const to = Math.min(tree.size, from + chunk);
    kDistances2InRange(tree, task.k, task.bound2, task.out, from, to);
    Atomics.add(control, 1, to - from);
  }
  Atomics.add(control, 2, 1);
  Atomics.notify(control, 2);
});

// The parent blocks in Atomics.wait during a search, so it must know this thread can
// take tasks before it sends one.
parentPort?.postMessage("ready");
