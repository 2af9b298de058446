import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./app-router.js";

export type { AppRouter, ErrorShape } from "./app-router.js";

/** Every procedure's input, e.g. `RouterInputs["companies"]["create"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;

/** Every procedure's output, e.g. `RouterOutputs["users"]["me"]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** What login and refresh answer. */
export type TokenPair = RouterOutputs["auth"]["login"];
