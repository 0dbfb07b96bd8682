/** The engine API as the CLI uses it: every CLI module imports the engine through here. */

export * from "../engine/index.js";
