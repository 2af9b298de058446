import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { Context } from "../../context.js";
import {
  InvalidTokenError,
  issueAccessToken,
  issueRefreshToken,
  type RefreshClaims,
  verifyOurToken,
} from "../../credentials/tokens.js";
import type { TokenPair } from "./schemas.js";
import {
  endSession,
  familyKey,
  forgetAllSessions,
  type SessionClient,
  startSession,
  touchSession,
} from "./sessions.js";

/*
 * Refresh-token state (docs/store.md#refresh-tokens). A family is the chain of refresh tokens born from one login; `refresh:fam:{fam}`
 * names its current token, the only one that may still be used. `refresh:nbf:{user_id}` voids every refresh token
 * of the user issued before that instant.
 */

export type RefreshDeps = Pick<Context, "config" | "store">;
/** Reuse is logged with the request it came in. */
type RotationDeps = RefreshDeps & Pick<Context, "logger" | "requestId">;

const notBeforeKey = (userId: string) => `refresh:nbf:${userId}`;
const familyRecord = (userId: string, jti: string) => JSON.stringify({ user_id: userId, jti });

const invalidRefreshToken = () => new TRPCError({ code: "UNAUTHORIZED", message: "Invalid refresh token" });

const tokenPair = async (deps: RefreshDeps, userId: string, refreshToken: string): Promise<TokenPair> => ({
  access_token: await issueAccessToken(deps.config, userId),
  refresh_token: refreshToken,
  token_type: "bearer",
});

/** A login: a new family whose first token is the pair's refresh token, and its session. */
export async function startRefreshFamily(deps: RefreshDeps, userId: string, client: SessionClient): Promise<TokenPair> {
  const family = randomUUID();
  const refresh = await issueRefreshToken(deps.config, userId, family);
  await deps.store.set(familyKey(family), familyRecord(userId, refresh.jti), deps.config.jwt.refreshTtlSeconds);
  await startSession(deps, userId, family, client);
  return tokenPair(deps, userId, refresh.token);
}

/** The claims of a refresh token signed by us, of the right type and not expired; 401 otherwise. */
export async function verifiedRefreshClaims(deps: RefreshDeps, token: string): Promise<RefreshClaims> {
  const claims = await refreshClaims(deps, token);
  if (claims === undefined) throw invalidRefreshToken();
  return claims;
}

/**
 * 401 unless the token is still its family's current one and was issued after the user's last "revoke all". A token
 * that was already spent revokes its whole family: the client or someone who stole the token used it twice.
 */
export async function assertCurrentRefreshToken(deps: RotationDeps, claims: RefreshClaims): Promise<void> {
  if (await revokedByUser(deps, claims)) throw invalidRefreshToken();
  const current = await deps.store.get(familyKey(claims.fam));
  if (current === familyRecord(claims.sub, claims.jti)) return;
  // No record: the family was revoked or has expired. Another token: this one was spent.
  if (current !== null) await revokeReusedFamily(deps, claims);
  throw invalidRefreshToken();
}

/**
 * Spends the presented token and returns the family's next pair. The swap is atomic, so of two requests racing with
 * one token exactly one wins; the other is a reuse like any other.
 */
export async function rotateRefreshFamily(deps: RotationDeps, claims: RefreshClaims): Promise<TokenPair> {
  const next = await issueRefreshToken(deps.config, claims.sub, claims.fam);
  const swapped = await deps.store.compareAndSet(
    familyKey(claims.fam),
    familyRecord(claims.sub, claims.jti),
    familyRecord(claims.sub, next.jti),
    deps.config.jwt.refreshTtlSeconds,
  );
  if (!swapped) {
    await revokeReusedFamily(deps, claims);
    throw invalidRefreshToken();
  }
  await touchSession(deps, claims.sub, claims.fam);
  return tokenPair(deps, claims.sub, next.token);
}

/** Logout with a token: revokes that token's family when the token is the caller's; anything else is ignored (RFC 7009). */
export async function revokeRefreshFamily(deps: RefreshDeps, callerId: string, token: string): Promise<void> {
  const claims = await refreshClaims(deps, token);
  if (claims?.sub === callerId) await endSession(deps, callerId, claims.fam);
}

/** The family of a refresh token of the caller's, or undefined for anything else. */
export async function callerFamily(deps: RefreshDeps, callerId: string, token: string | undefined) {
  const claims = token === undefined ? undefined : await refreshClaims(deps, token);
  return claims?.sub === callerId ? claims.fam : undefined;
}

/**
 * Password change, deactivation, deletion, logout without a token, logout-all: every refresh token issued before `at`
 * is void, and the user's sessions are gone.
 */
export async function revokeAllRefreshTokens(deps: RefreshDeps, userId: string, at = new Date()): Promise<void> {
  await deps.store.set(notBeforeKey(userId), String(at.getTime() / 1000), deps.config.jwt.refreshTtlSeconds);
  await forgetAllSessions(deps, userId);
}

async function refreshClaims(deps: RefreshDeps, token: string): Promise<RefreshClaims | undefined> {
  try {
    return await verifyOurToken(deps.config, token, "refresh");
  } catch (error) {
    if (error instanceof InvalidTokenError) return undefined;
    throw error;
  }
}

async function revokedByUser(deps: RefreshDeps, claims: RefreshClaims): Promise<boolean> {
  const notBefore = await deps.store.get(notBeforeKey(claims.sub));
  return notBefore !== null && !(claims.iat >= Number(notBefore));
}

async function revokeReusedFamily(deps: RotationDeps, claims: RefreshClaims): Promise<void> {
  await endSession(deps, claims.sub, claims.fam);
  deps.logger.warn(
    { requestId: deps.requestId, userId: claims.sub, family: claims.fam },
    "refresh token reused: its family is revoked",
  );
}
