import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { decodeProtectedHeader } from "jose";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { type UserRow, users } from "../db/schema.js";
import { InvalidTokenError, verifyOurToken } from "./tokens.js";

export type AuthDeps = { config: Config; db: Database };

const invalidCredentials = () => new TRPCError({ code: "UNAUTHORIZED", message: "Could not validate credentials" });

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, exactly one token), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer ([^\s]+)$/i.exec(header?.trim() ?? "");
  return match?.[1];
}

/**
 * The user a bearer header stands for. 401 for a missing or bad token or a deleted user, 403 for an inactive user.
 * The token's header picks the verifier, so a local token never costs a JWKS fetch (D22).
 */
export async function authenticate(deps: AuthDeps, authorization: string | undefined): Promise<UserRow> {
  const token = bearerToken(authorization);
  if (token === undefined) throw invalidCredentials();
  const userId = await verifiedSubject(deps, token);
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "User not found" });
  if (!user.is_active) throw new TRPCError({ code: "FORBIDDEN", message: "Inactive user" });
  return user;
}

async function verifiedSubject(deps: AuthDeps, token: string): Promise<string> {
  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
  } catch {
    throw invalidCredentials();
  }
  if (algorithm !== "HS256") throw invalidCredentials();
  try {
    return (await verifyOurToken(deps.config, token, "access")).sub;
  } catch (error) {
    if (error instanceof InvalidTokenError) throw invalidCredentials();
    throw error;
  }
}

/** Optional auth: the caller when a usable token is present, else null (never an error for a bad token). */
export async function authenticateOptionally(deps: AuthDeps, authorization: string | undefined): Promise<UserRow | null> {
  if (authorization === undefined) return null;
  try {
    return await authenticate(deps, authorization);
  } catch (error) {
    if (error instanceof TRPCError) return null;
    throw error;
  }
}
