import { TRPCError } from "@trpc/server";
import { sqlState, violatedConstraint } from "../../errors.js";

/**
 * Runs a write and turns a unique (23505) or foreign-key (23503) violation of a listed constraint into the error
 * given for it: the database keeps the invariant, this only chooses the message. Other errors pass through.
 */
export async function onViolation<T>(
  write: () => Promise<T>,
  errors: Record<string, (cause: unknown) => TRPCError>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const state = sqlState(error);
    const name = violatedConstraint(error);
    const mapped = (state === "23505" || state === "23503") && name !== undefined ? errors[name] : undefined;
    throw mapped ? mapped(error) : error;
  }
}

export const conflict = (message: string) => (cause: unknown) => new TRPCError({ code: "CONFLICT", message, cause });
export const notFound = (message: string) => (cause: unknown) => new TRPCError({ code: "NOT_FOUND", message, cause });
