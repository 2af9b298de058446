export type { components, operations, paths } from "./rest/schema.js";
export type { AppRouter, ErrorShape, RouterInputs, RouterOutputs, TokenPair } from "./types.js";
