import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { Context } from "../../context.js";
import { hashPassword, passwordFitsBcrypt, verifyPassword } from "../../credentials/passwords.js";
import { type UserRow, users } from "../../db/schema.js";
import { findUserByEmail, findUserById } from "../users/service.js";
import {
  assertCurrentRefreshToken,
  callerFamily,
  revokeAllRefreshTokens,
  revokeRefreshFamily,
  rotateRefreshFamily,
  startRefreshFamily,
  verifiedRefreshClaims,
} from "./refresh.js";
import type { LoginInput, SessionList, TokenPair } from "./schemas.js";
import { endListedSession, listSessions } from "./sessions.js";
import { beginLoginAttempt } from "./throttle.js";

type AuthDeps = Pick<Context, "config" | "db" | "store" | "logger" | "requestId" | "userAgent">;

/** Throttled per (email, address) and per address (docs/store.md); the same 401 for an unknown email and a wrong password. */
export async function login(deps: AuthDeps, input: LoginInput, clientAddress: string): Promise<TokenPair> {
  const attempt = await beginLoginAttempt(deps, input.email, clientAddress);
  const user = await userWithPassword(deps, input.email, input.password);
  if (!user) {
    await attempt.failed();
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Incorrect email or password" });
  }
  await attempt.succeeded();
  // Only now: telling an inactive account apart before the password is right would confirm that the email exists.
  if (!user.is_active) throw inactiveUser();
  return startRefreshFamily(deps, user.id, { userAgent: deps.userAgent, ip: clientAddress });
}

/**
 * Rotation (docs/differences.md#refresh-rotation): the presented token is spent and the family moves on to the new one. The user is checked right after
 * the signature, as on every authenticated request, so a deleted or deactivated user hears so (401/403) rather than
 * only that their tokens were revoked.
 */
export async function refresh(deps: AuthDeps, refreshToken: string): Promise<TokenPair> {
  const claims = await verifiedRefreshClaims(deps, refreshToken);
  const user = await findUserById(deps.db, claims.sub);
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "User not found" });
  if (!user.is_active) throw inactiveUser();
  await assertCurrentRefreshToken(deps, claims);
  return rotateRefreshFamily(deps, claims);
}

/** With a token, its family; without, every refresh token of the caller. Revoking is idempotent (RFC 7009). */
export async function logout(deps: AuthDeps, caller: UserRow, refreshToken: string | undefined): Promise<void> {
  if (refreshToken === undefined) await revokeAllRefreshTokens(deps, caller.id);
  else await revokeRefreshFamily(deps, caller.id, refreshToken);
}

/**
 * Every session ends and every access token issued until now stops: the instant is stored on the user row, which each
 * request loads anyway. One transaction, so a store outage (503) leaves the tokens as they were.
 */
export async function logoutAll(deps: AuthDeps, caller: UserRow): Promise<void> {
  const at = new Date();
  await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ tokens_valid_after: at }).where(eq(users.id, caller.id));
    await revokeAllRefreshTokens(deps, caller.id, at);
  });
}

/** The caller's sessions; `current` marks the one whose refresh token came in `X-Refresh-Token`. */
export async function sessionsOf(
  deps: AuthDeps,
  caller: UserRow,
  refreshToken: string | undefined,
): Promise<SessionList> {
  const [sessions, current] = await Promise.all([
    listSessions(deps, caller.id),
    callerFamily(deps, caller.id, refreshToken),
  ]);
  return { sessions: sessions.map((session) => ({ ...session, current: session.id === current })) };
}

/** Another user's session and an unknown one are alike: 404. */
export async function revokeSession(deps: AuthDeps, caller: UserRow, sessionId: string): Promise<void> {
  if (!(await endListedSession(deps, caller.id, sessionId))) {
    throw new TRPCError({ code: "NOT_FOUND", message: "Session not found" });
  }
}

const inactiveUser = () => new TRPCError({ code: "FORBIDDEN", message: "Inactive user" });

/**
 * The user whose password this is, or undefined. An unknown email still costs a bcrypt comparison, so timing does not
 * tell which emails exist; a password bcrypt would cut at 72 bytes matches nothing.
 */
async function userWithPassword(
  deps: Pick<AuthDeps, "config" | "db">,
  email: string,
  password: string,
): Promise<UserRow | undefined> {
  if (!passwordFitsBcrypt(password)) return undefined;
  const user = await findUserByEmail(deps.db, email);
  const matches = await verifyPassword(password, user?.hashed_password ?? (await dummyHash(deps.config.bcryptRounds)));
  return matches ? user : undefined;
}

// One hash per cost, made on first use: the comparison against it must cost what a real one costs.
const dummyHashes = new Map<number, Promise<string>>();
const dummyHash = (rounds: number): Promise<string> => {
  let hashed = dummyHashes.get(rounds);
  if (hashed === undefined) {
    hashed = hashPassword("dummy password for unknown emails", rounds);
    dummyHashes.set(rounds, hashed);
  }
  return hashed;
};
