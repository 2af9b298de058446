import { randomUUID } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Config } from "../config.js";

export type TokenType = "access" | "refresh";

/** `iat_ms`: the issue time in milliseconds, compared with the user's `tokens_valid_after` (absent on older tokens). */
export type AccessClaims = { sub: string; type: "access"; iat: number; iat_ms?: number; exp: number };
export type RefreshClaims = { sub: string; type: "refresh"; jti: string; fam: string; iat: number; exp: number };

export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const encoder = new TextEncoder();
const keysByConfig = new WeakMap<Config, Record<TokenType, Promise<CryptoKey>>>();

/**
 * The HMAC key of each kind, imported once per configuration. Handed raw bytes, jose imports a WebCrypto key on every
 * call, which cost twice the CPU of the signature check itself (~40 µs of every authenticated request).
 */
function keyFor(config: Config, type: TokenType): Promise<CryptoKey> {
  let keys = keysByConfig.get(config);
  if (!keys) {
    keys = { access: importHmacKey(config.jwt.accessSecret), refresh: importHmacKey(config.jwt.refreshSecret) };
    keysByConfig.set(config, keys);
  }
  return keys[type];
}

function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

export async function issueAccessToken(config: Config, userId: string): Promise<string> {
  const now = Date.now();
  return new SignJWT({ type: "access", iat_ms: now })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(`${config.jwt.accessTtlSeconds}s`)
    .sign(await keyFor(config, "access"));
}

export async function issueRefreshToken(
  config: Config,
  userId: string,
  family: string,
): Promise<{ token: string; jti: string }> {
  const jti = randomUUID();
  const token = await new SignJWT({ type: "refresh", fam: family })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setJti(jti)
    // Millisecond precision (a NumericDate may be fractional): "revoke all" voids tokens issued before an instant,
    // and a login in the same second as a password change must fall on the right side of it.
    .setIssuedAt(Date.now() / 1000)
    .setExpirationTime(`${config.jwt.refreshTtlSeconds}s`)
    .sign(await keyFor(config, "refresh"));
  return { token, jti };
}

/**
 * Verifies one of our tokens: exactly HS256, the key of its kind, no clock leeway, the right `type`, a UUID `sub`.
 * Any failure is an InvalidTokenError (never a jose error, never a 500).
 */
export async function verifyOurToken(config: Config, token: string, type: "access"): Promise<AccessClaims>;
export async function verifyOurToken(config: Config, token: string, type: "refresh"): Promise<RefreshClaims>;
export async function verifyOurToken(
  config: Config,
  token: string,
  type: TokenType,
): Promise<AccessClaims | RefreshClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, await keyFor(config, type), {
      algorithms: ["HS256"],
      requiredClaims: ["exp", "sub"],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) {
      throw new InvalidTokenError(error.message, { cause: error });
    }
    throw error;
  }
  if (payload.type !== type || typeof payload.sub !== "string" || !UUID.test(payload.sub)) {
    throw new InvalidTokenError("wrong token type or subject");
  }
  if (type === "refresh" && (typeof payload.jti !== "string" || typeof payload.fam !== "string")) {
    throw new InvalidTokenError("refresh token without jti or family");
  }
  return payload as AccessClaims | RefreshClaims;
}

/** When an access token was issued, in milliseconds: `iat_ms`, or the whole second of `iat` on older tokens. */
export function accessIssuedAtMs(claims: AccessClaims): number {
  return typeof claims.iat_ms === "number" && Number.isFinite(claims.iat_ms) ? claims.iat_ms : claims.iat * 1000;
}
