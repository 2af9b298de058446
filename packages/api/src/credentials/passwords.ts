import { randomBytes } from "node:crypto";
import { compare, hash } from "@node-rs/bcrypt";

/** bcrypt reads at most 72 bytes; longer passwords are refused at the boundary instead of silently cut. */
export const MAX_PASSWORD_BYTES = 72;

export const passwordFitsBcrypt = (password: string): boolean =>
  Buffer.byteLength(password, "utf8") <= MAX_PASSWORD_BYTES;

// @node-rs/bcrypt hashes and compares on the libuv thread pool, so the event loop never blocks on them.
export const hashPassword = (password: string, rounds: number): Promise<string> => hash(password, rounds);

export const verifyPassword = (password: string, hashed: string): Promise<boolean> =>
  compare(password, hashed).catch(() => false);

/** A hash of 32 random bytes: an account that has one cannot log in with a password (Auth0-provisioned users). */
export const unusablePasswordHash = (rounds: number): Promise<string> =>
  hash(randomBytes(32).toString("base64"), rounds);
