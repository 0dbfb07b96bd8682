/**
 * The sigh library: the engine (which runs in any JavaScript runtime) plus the Node
 * data sources: CSV input, the order generator and feature derivation.
 */

export * from "./engine/index.js";
export * from "./data/index.js";
export { createParallelRunner, type ParallelRunner } from "./train/parallel.js";
