import { TRPCError } from "@trpc/server";
import { DrizzleQueryError } from "drizzle-orm";
import { z } from "zod";
import { StoreUnavailableError } from "./store/store.js";

/** An error and its causes, outermost first (drizzle wraps driver errors); bounded, in case a chain loops. */
function* causeChain(error: unknown): Generator<Error & Record<string, unknown>> {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    yield current as Error & Record<string, unknown>;
    current = current.cause;
  }
}

/** The first SQLSTATE on an error's cause chain. */
export function sqlState(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    if (typeof link.code === "string" && /^[0-9A-Z]{5}$/.test(link.code)) return link.code;
  }
  return undefined;
}

/** The constraint (or unique index) a database error names: postgres.js calls it `constraint_name`, PGlite `constraint`. */
export function violatedConstraint(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const name = link.constraint_name ?? link.constraint;
    if (typeof name === "string") return name;
  }
  return undefined;
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
  for (const link of causeChain(error)) {
    if (link instanceof StoreUnavailableError) return true;
    const code = link.code;
    if (typeof code === "string" && (CONNECTION_ERROR_CODES.has(code) || /^(08|57P)/.test(code))) return true;
  }
  return false;
}

export type ViolationError = (cause: unknown) => TRPCError;

export const conflict =
  (message: string): ViolationError =>
  (cause) =>
    new TRPCError({ code: "CONFLICT", message, cause });

export const notFound =
  (message: string): ViolationError =>
  (cause) =>
    new TRPCError({ code: "NOT_FOUND", message, cause });

/**
 * Runs a write and turns a unique (23505) or foreign-key (23503) violation of a listed constraint into the error
 * given for it: the database keeps the invariant, this only chooses the answer. A violation of a constraint the map
 * does not name is not a client's mistake and passes through, as does every other error.
 */
export async function onViolation<T>(write: () => Promise<T>, errors: Record<string, ViolationError>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const state = sqlState(error);
    const name = violatedConstraint(error);
    const mapped = (state === "23505" || state === "23503") && name !== undefined ? errors[name] : undefined;
    throw mapped ? mapped(error) : error;
  }
}

/** The one row an INSERT … RETURNING or an UPDATE of a known row gives back. */
export function firstRow<Row>(rows: Row[]): Row {
  const [row] = rows;
  if (row === undefined) throw new Error("the statement returned no row");
  return row;
}

/**
 * A rule on the input that only a service can check (a cursor that is not ours, an answer of another question): a
 * 422 whose `issues` name the field, like the schema's own, with `message` as its detail.
 */
export function invalidInput(path: (string | number)[], message: string): TRPCError {
  // Made by a parse, not `new ZodError(…)`: only a parse's ZodError is an Error, which tRPC keeps as the cause.
  const cause = z
    .unknown()
    .superRefine((_, ctx) => ctx.addIssue({ code: "custom", path, message }))
    .safeParse(undefined).error;
  return new TRPCError({ code: "BAD_REQUEST", message, cause });
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
