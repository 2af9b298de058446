import { TRPCError } from "@trpc/server";
import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import type { Config } from "../config.js";
import { email as emailSchema } from "../modules/users/schemas.js";
import { InvalidTokenError } from "./tokens.js";

export type Auth0Settings = NonNullable<Config["auth0"]>;

/** Who an Auth0 token speaks for: its email (lower-cased) and the nickname it suggests. */
export type Auth0Identity = { email: string; nickname: string | undefined };

const CLOCK_LEEWAY_SECONDS = 30;

/** Raised while the key set cannot be fetched: the token may be fine, so this is a 503, not a 401. */
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
 * audience, exp with 30 s of leeway, and an email claim that is not marked unverified
 * (docs/differences.md#unverified-auth0-emails). InvalidTokenError for a bad token; 503 when the key set cannot be
 * fetched and none is cached.
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
  // An unverified address must not take over the local account that has it; an absent claim is accepted.
  if (payload.email_verified === false) throw new InvalidTokenError("email not verified");
  const nickname = typeof payload.nickname === "string" ? payload.nickname : undefined;
  return { email: email.data, nickname };
}
