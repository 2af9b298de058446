import { TRPCError } from "@trpc/server";
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

/** Runs a write and turns a unique violation into a 409 with the given message. */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new TRPCError({ code: "CONFLICT", message, cause: error });
    throw error;
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
