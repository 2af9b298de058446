import { randomInt } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { type UserRow, users } from "../db/schema.js";
import { hidingParameters } from "../errors.js";
import { email as emailSchema, username as usernameSchema } from "../modules/users/schemas.js";
import { unusablePasswordHash } from "./passwords.js";
import { InvalidTokenError } from "./tokens.js";

export type Auth0Settings = NonNullable<Config["auth0"]>;

/** Who an Auth0 token speaks for: its email (lower-cased) and the nickname it suggests. */
export type Auth0Identity = { email: string; nickname: string | undefined };

const CLOCK_LEEWAY_SECONDS = 30;
const USERNAME_MAX = 100;
const SUFFIX_ATTEMPTS = 20;

/** Raised while the key set cannot be fetched: the token may be fine, so this is a 503, not a 401 (D22). */
class KeySetUnavailableError extends Error {
  override name = "KeySetUnavailableError";
}

// One key set per JWKS location, shared by every request: jose caches the keys (refetching at most once per 30 s for
// an unknown kid, and after 10 minutes) and lets concurrent requests wait on one fetch.
const keySets = new Map<string, JWTVerifyGetKey>();

function keySet(jwksUrl: string): JWTVerifyGetKey {
  let getKey = keySets.get(jwksUrl);
  if (getKey === undefined) {
    const remote = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    getKey = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        // No key, or no single key, for this kid: the token's fault. Anything else is the fetch failing.
        if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
          throw error;
        }
        throw new KeySetUnavailableError("the Auth0 key set cannot be fetched", { cause: error });
      }
    };
    keySets.set(jwksUrl, getKey);
  }
  return getKey;
}

/**
 * Verifies an Auth0 access token: a key of the JWKS chosen by kid, an allowed algorithm, the exact issuer, our
 * audience, exp with 30 s of leeway, and an email claim that is not marked unverified (D24). InvalidTokenError for a
 * bad token; 503 when the key set cannot be fetched and none is cached.
 */
export async function verifyAuth0Token(settings: Auth0Settings, token: string): Promise<Auth0Identity> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keySet(settings.jwksUrl), {
      algorithms: settings.algorithms,
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: CLOCK_LEEWAY_SECONDS,
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof KeySetUnavailableError) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Authentication service unavailable", cause: error });
    }
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) {
      throw new InvalidTokenError(error.message, { cause: error });
    }
    throw error;
  }
  const email = emailSchema().safeParse(payload.email);
  if (!email.success) throw new InvalidTokenError("no usable email claim");
  // An unverified address must not take over the local account that has it; an absent claim is accepted (D24).
  if (payload.email_verified === false) throw new InvalidTokenError("email not verified");
  const nickname = typeof payload.nickname === "string" ? payload.nickname : undefined;
  return { email: email.data, nickname };
}

/**
 * The user an Auth0 identity stands for: the account with that email, or a new one (D23) with a free, valid username
 * and a password nobody knows. Racing first requests end with one user: the loser's insert does nothing, and it reads
 * the winner's row.
 */
export async function findOrProvisionUser(
  deps: { config: Config; db: Database },
  identity: Auth0Identity,
): Promise<UserRow> {
  const existing = await userByEmail(deps.db, identity.email);
  if (existing) return existing;
  const hashed_password = await unusablePasswordHash(deps.config.bcryptRounds);
  for (const username of usernameCandidates(identity)) {
    const [created] = await hidingParameters(() =>
      deps.db
        .insert(users)
        .values({ email: identity.email, username, hashed_password })
        .onConflictDoNothing()
        .returning(),
    );
    if (created) return created;
    // Either the email arrived meanwhile (a racing request) or the username is taken: try the next one.
    const raced = await userByEmail(deps.db, identity.email);
    if (raced) return raced;
  }
  throw new Error("no free username found for an Auth0 user");
}

async function userByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

/** The nickname if valid, the email's local part if valid, then the local part plus "_" and 4 random digits. */
function* usernameCandidates(identity: Auth0Identity): Generator<string> {
  const nickname = usernameSchema().safeParse(identity.nickname);
  if (nickname.success) yield nickname.data;
  const localPart = identity.email.slice(0, identity.email.lastIndexOf("@"));
  const base = [...localPart].slice(0, USERNAME_MAX).join("");
  if (usernameSchema().safeParse(base).success) yield base;
  // "_" and 4 digits take 5 characters; the base is cut so the result stays within 100.
  const shortBase = [...base].slice(0, USERNAME_MAX - 5).join("");
  for (let attempt = 0; attempt < SUFFIX_ATTEMPTS; attempt++) {
    yield `${shortBase}_${String(randomInt(10_000)).padStart(4, "0")}`;
  }
}
