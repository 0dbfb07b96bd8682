/** The sigh library: the engine plus the Node data sources. */

export * from "./engine/index.js";
