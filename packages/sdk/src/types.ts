import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./app-router.js";

export type { AppRouter, ErrorShape } from "./app-router.js";

/** Every procedure's input, e.g. `RouterInputs["companies"]["create"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;

/** Every procedure's output, e.g. `RouterOutputs["users"]["me"]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** What login and refresh answer. */
export type TokenPair = RouterOutputs["auth"]["login"];

/** A quiz as its company's owner or an admin reads it: every answer carries `is_correct`. */
export type QuizForManager = RouterOutputs["companies"]["quizzes"]["create"];

/** A quiz as anyone else reads it: its answers have no `is_correct` field at all. */
export type QuizForMember = Exclude<RouterOutputs["companies"]["quizzes"]["byId"], QuizForManager>;

/** What reading a quiz answers: the manager's view or the member's. */
export type Quiz = QuizForManager | QuizForMember;
