import { TRPCError } from "@trpc/server";
import { decodeProtectedHeader } from "jose";
import type { AppDeps } from "../context.js";
import type { UserRow } from "../db/schema.js";
import { findOrProvisionAuth0User, findUserById } from "../modules/users/service.js";
import { verifyAuth0Token } from "./auth0.js";
import { accessIssuedAtMs, InvalidTokenError, verifyOurToken } from "./tokens.js";

export type AuthDeps = Pick<AppDeps, "config" | "db">;

const invalidCredentials = () => new TRPCError({ code: "UNAUTHORIZED", message: "Could not validate credentials" });

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, exactly one token), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer ([^\s]+)$/i.exec(header?.trim() ?? "");
  return match?.[1];
}

/**
 * The user a bearer header stands for. 401 for a missing or bad token or a deleted user, 403 for an inactive user,
 * 503 when Auth0's key set cannot be fetched.
 */
export async function authenticate(deps: AuthDeps, authorization: string | undefined): Promise<UserRow> {
  const token = bearerToken(authorization);
  if (token === undefined) throw invalidCredentials();
  const { user, issuedAtMs } = await userForToken(deps, token);
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "User not found" });
  if (!user.is_active) throw new TRPCError({ code: "FORBIDDEN", message: "Inactive user" });
  // Logout-all, a password change and a deactivation stop the tokens issued before them; the column comes with the
  // user row this request loads anyway (docs/beyond-the-original.md#sessions).
  const validAfter = user.tokens_valid_after;
  if (issuedAtMs !== undefined && validAfter !== null && issuedAtMs < validAfter.getTime()) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Token has been revoked" });
  }
  return user;
}

/** The token's user, and for our tokens when it was issued (Auth0 issues its own and is not revoked here). */
type TokenUser = { user: UserRow | undefined; issuedAtMs?: number };

/**
 * The token's header picks the verifier (docs/differences.md#auth0-verification): HS256 is ours, an algorithm listed
 * for Auth0 is Auth0's, anything else (none, HS384, RS256 with Auth0 off…) is refused. So a local token never costs a
 * JWKS fetch, and an algorithm is never taken on trust: each verifier accepts only its own.
 */
async function userForToken(deps: AuthDeps, token: string): Promise<TokenUser> {
  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
  } catch {
    throw invalidCredentials();
  }
  const auth0 = deps.config.auth0;
  try {
    if (algorithm === "HS256") {
      const claims = await verifyOurToken(deps.config, token, "access");
      return { user: await findUserById(deps.db, claims.sub), issuedAtMs: accessIssuedAtMs(claims) };
    }
    if (auth0 !== undefined && typeof algorithm === "string" && auth0.algorithms.includes(algorithm)) {
      return { user: await findOrProvisionAuth0User(deps, await verifyAuth0Token(auth0, token)) };
    }
  } catch (error) {
    if (error instanceof InvalidTokenError) throw invalidCredentials();
    throw error;
  }
  throw invalidCredentials();
}

/** Optional auth: the caller when a usable token is present, else null (never an error for a bad token). */
export async function authenticateOptionally(
  deps: AuthDeps,
  authorization: string | undefined,
): Promise<UserRow | null> {
  if (authorization === undefined) return null;
  try {
    return await authenticate(deps, authorization);
  } catch (error) {
    // A dependency that is down is not a bad token: the caller would silently lose what they may see.
    if (error instanceof TRPCError && error.code !== "SERVICE_UNAVAILABLE") return null;
    throw error;
  }
}
