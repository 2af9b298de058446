import { TRPCError } from "@trpc/server";
import type { Context } from "../../context.js";
import { hashPassword, passwordFitsBcrypt, verifyPassword } from "../../credentials/passwords.js";
import type { UserRow } from "../../db/schema.js";
import { findUserByEmail, findUserById } from "../users/service.js";
import {
  assertCurrentRefreshToken,
  revokeAllRefreshTokens,
  revokeRefreshFamily,
  rotateRefreshFamily,
  startRefreshFamily,
  verifiedRefreshClaims,
} from "./refresh.js";
import type { LoginInput, TokenPair } from "./schemas.js";
import { beginLoginAttempt } from "./throttle.js";

type AuthDeps = Pick<Context, "config" | "db" | "store" | "logger" | "requestId">;

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
  return startRefreshFamily(deps, user.id);
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
