import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "./app-router.js";

/**
 * What a failed call throws. `data` is undefined when no answer came (network failure); otherwise `data.httpStatus`
 * is the status, `data.code` the tRPC code (`"NOT_FOUND"`, `"CONFLICT"`…) and `data.issues` the fields of a validation
 * error (`[{ path: ["email"], message: "…" }]`). `message` is the contract's `detail`.
 */
export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}
