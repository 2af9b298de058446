import { TRPCError } from "@trpc/server";
import { DrizzleQueryError } from "drizzle-orm";
import { StoreUnavailableError } from "./store/store.js";

/** Walks an error's `cause` chain (drizzle wraps driver errors) and returns the first SQLSTATE found. */
export function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === "23505";

/** The constraint (or unique index) a database error names: postgres.js calls it `constraint_name`, PGlite `constraint`. */
export function violatedConstraint(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    const { constraint_name, constraint } = current as { constraint_name?: unknown; constraint?: unknown };
    const name = constraint_name ?? constraint;
    if (typeof name === "string") return name;
    current = current.cause;
  }
  return undefined;
}

/**
 * Runs a write and turns a unique violation into a 409: one message, or one per constraint name (a violation of a
 * constraint the map does not name is not a client's mistake and is rethrown).
 */
export async function conflictOnDuplicate<T>(
  write: () => Promise<T>,
  message: string | Record<string, string>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const detail = typeof message === "string" ? message : message[violatedConstraint(error) ?? ""];
    if (detail === undefined) throw error;
    throw new TRPCError({ code: "CONFLICT", message: detail, cause: error });
  }
}

/**
 * Runs a query whose parameters hold a secret (a password hash). Drizzle copies every parameter into its error message
 * and PGlite attaches them to its own error, which would then reach the logs: a failure is rethrown with the driver's
 * message, SQLSTATE (or connection code) and constraint only.
 */
export async function hidingParameters<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (!(error instanceof DrizzleQueryError)) throw error;
    const driverError = error.cause;
    const { code, constraint, constraint_name } = (driverError ?? {}) as Record<string, unknown>;
    const message = driverError instanceof Error ? driverError.message : "A query failed";
    throw new Error(message, { cause: Object.assign(new Error(message), { code, constraint, constraint_name }) });
  }
}

// postgres.js connection failures, and SQLSTATE classes 08 (connection exception) and 57P (operator intervention).
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/** True when an error means a dependency (database or store) is down rather than a bug or a client mistake. */
export function isDependencyDown(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    if (current instanceof StoreUnavailableError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_ERROR_CODES.has(code) || /^(08|57P)/.test(code))) return true;
    current = current.cause;
  }
  return false;
}
