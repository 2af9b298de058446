import { join } from "node:path";
import { z } from "zod";

/** Sample secrets: fine for development, refused in production. */
export const SAMPLE_JWT_SECRET = "dev-access-secret-change-me-in-production-0123456789";
export const SAMPLE_JWT_REFRESH_SECRET = "dev-refresh-secret-change-me-in-production-0123456789";
const DEFAULT_SECRET_KEY = "default-secret-key";
// .env.sample's placeholders are refused too: `cp .env.sample .env` must not give a production service with them.
const KNOWN_WEAK_SECRETS = new Set([
  SAMPLE_JWT_SECRET,
  SAMPLE_JWT_REFRESH_SECRET,
  DEFAULT_SECRET_KEY,
  "your-secret-key-change-in-production",
  "your-refresh-secret-key-change-in-production",
  "change-me-to-a-long-random-string",
  "replace-with-a-long-random-access-secret",
  "replace-with-a-different-long-random-refresh-secret",
]);

// Booleans as pydantic-settings read them.
const envBoolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return fallback;
      const normalized = value.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(normalized)) return true;
      if (["false", "0", "no", "off"].includes(normalized)) return false;
      ctx.addIssue({ code: "custom", message: "must be true/false, 1/0, yes/no or on/off" });
      return z.NEVER;
    });

const envInt = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return fallback;
      const trimmed = value.trim();
      const parsed = Number(trimmed);
      if (!/^\d+$/.test(trimmed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: "custom", message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return parsed;
    });

const envString = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === "" ? fallback : value.trim()));

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const envSchema = z.object({
  APP_NAME: envString("BackendInternship"),
  DEBUG: envBoolean(true),
  ENVIRONMENT: z
    .string()
    .optional()
    .transform((value) => value?.trim().toLowerCase() || "development")
    .pipe(z.enum(["development", "test", "production"], { error: "must be development, test or production" })),
  HOST: envString("0.0.0.0"),
  PORT: envInt(8000, 0, 65535),
  CORS_ORIGINS: envString("*"),
  SECRET_KEY: envString(DEFAULT_SECRET_KEY),
  DATA_DIR: envString(".data"),
  DATABASE_URL: optionalString,
  POSTGRES_USER: envString("postgres"),
  POSTGRES_PASSWORD: envString("postgres"),
  POSTGRES_HOST: optionalString,
  POSTGRES_PORT: envInt(5432, 1, 65535),
  POSTGRES_DB: envString("internship_db"),
  REDIS_URL: optionalString,
  REDIS_HOST: optionalString,
  REDIS_PORT: envInt(6379, 1, 65535),
  REDIS_DB: envInt(0, 0, 15),
  JWT_SECRET_KEY: envString(SAMPLE_JWT_SECRET),
  JWT_REFRESH_SECRET_KEY: envString(SAMPLE_JWT_REFRESH_SECRET),
  JWT_ALGORITHM: envString("HS256").pipe(z.literal("HS256", { error: "only HS256 is supported" })),
  JWT_ACCESS_TOKEN_EXPIRE_MINUTES: envInt(30, 1, 525_600),
  JWT_REFRESH_TOKEN_EXPIRE_DAYS: envInt(7, 1, 3650),
  AUTH0_DOMAIN: optionalString,
  AUTH0_API_AUDIENCE: optionalString,
  AUTH0_ISSUER: optionalString,
  AUTH0_ALGORITHMS: envString("RS256").transform((value, ctx) => {
    const algorithms = value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const asymmetric = /^(RS|PS|ES)(256|384|512)$/;
    const bad = algorithms.find((entry) => !asymmetric.test(entry));
    if (bad !== undefined || algorithms.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: `only asymmetric algorithms (RS*, PS*, ES*) are allowed, got ${bad ?? "none"}`,
      });
      return z.NEVER;
    }
    return algorithms;
  }),
  AUTH0_JWKS_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  BCRYPT_ROUNDS: envInt(12, 4, 15),
  LOGIN_MAX_FAILURES: envInt(5, 1, 1_000_000),
  LOGIN_MAX_FAILURES_PER_ADDRESS: envInt(50, 1, 1_000_000),
  LOGIN_WINDOW_SECONDS: envInt(900, 1, 86_400 * 30),
  TRUST_PROXY: envBoolean(false),
  LOG_LEVEL: envString("info").pipe(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be fatal, error, warn, info, debug, trace or silent",
    }),
  ),
  LOG_FILE: optionalString,
  SCHEDULER_ENABLED: envBoolean(true),
  QUIZ_RESPONSE_TTL_SECONDS: envInt(172_800, 1, 86_400 * 365),
  INVITATION_TTL_HOURS: envInt(168, 1, 8760),
  OWNERSHIP_TRANSFER_TTL_HOURS: envInt(48, 1, 8760),
});

type Env = z.output<typeof envSchema>;

/** The settings as the code reads them, from the environment's variables; production refuses sample secrets. */
const configSchema = envSchema.superRefine(refuseWeakSecretsInProduction).transform((env) => ({
  appName: env.APP_NAME,
  debug: env.DEBUG,
  environment: env.ENVIRONMENT,
  host: env.HOST,
  port: env.PORT,
  /** `"*"` or the exact origins allowed. */
  corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
  /** A postgres:// URL, or undefined for the embedded PGlite database. */
  databaseUrl: env.DATABASE_URL ?? postgresUrlFromParts(env),
  /** The embedded PGlite database's directory, under DATA_DIR (relative to the working directory unless absolute). */
  embeddedDataDir: join(env.DATA_DIR, "pglite"),
  /** A redis:// URL, or undefined for the in-process store. */
  redisUrl: env.REDIS_URL ?? redisUrlFromParts(env),
  jwt: {
    accessSecret: env.JWT_SECRET_KEY,
    refreshSecret: env.JWT_REFRESH_SECRET_KEY,
    accessTtlSeconds: env.JWT_ACCESS_TOKEN_EXPIRE_MINUTES * 60,
    refreshTtlSeconds: env.JWT_REFRESH_TOKEN_EXPIRE_DAYS * 86_400,
  },
  /** Undefined when Auth0 is not configured: RS256 tokens are then refused. */
  auth0: auth0Settings(env),
  bcryptRounds: env.BCRYPT_ROUNDS,
  login: {
    maxFailures: env.LOGIN_MAX_FAILURES,
    maxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowSeconds: env.LOGIN_WINDOW_SECONDS,
  },
  trustProxy: env.TRUST_PROXY,
  logLevel: env.LOG_LEVEL,
  logFile: env.LOG_FILE,
  /** Read by the daily quiz-reminder job. */
  schedulerEnabled: env.SCHEDULER_ENABLED,
  /** How long a submission's stored answers live. */
  quizResponseTtlSeconds: env.QUIZ_RESPONSE_TTL_SECONDS,
  /** How long an invitation stays pending, from its creation or its last resend. */
  invitationTtlHours: env.INVITATION_TTL_HOURS,
  /** How long an ownership transfer stays open for its target to accept. */
  transferTtlHours: env.OWNERSHIP_TRANSFER_TTL_HOURS,
}));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates the settings; throws a ConfigError whose message names the first bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`Invalid setting ${variable}: ${issue?.message ?? "invalid value"}`);
  }
  return parsed.data;
}

/** Warnings worth logging at start outside production (production refuses these outright). */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.jwt.accessSecret === config.jwt.refreshSecret) {
    warnings.push("JWT_SECRET_KEY equals JWT_REFRESH_SECRET_KEY; set two different secrets");
  }
  if (KNOWN_WEAK_SECRETS.has(config.jwt.accessSecret)) {
    warnings.push("JWT_SECRET_KEY is a sample value; the server would refuse it with ENVIRONMENT=production");
  }
  return warnings;
}

function refuseWeakSecretsInProduction(env: Env, ctx: z.RefinementCtx): void {
  if (env.ENVIRONMENT !== "production") return;
  const refuse = (name: keyof Env, message: string) => ctx.addIssue({ code: "custom", path: [name], message });
  for (const name of ["JWT_SECRET_KEY", "JWT_REFRESH_SECRET_KEY"] as const) {
    const value = env[name];
    if (KNOWN_WEAK_SECRETS.has(value)) refuse(name, "a sample secret cannot be used in production");
    else if (value.length < 32) refuse(name, "must be at least 32 characters in production");
  }
  if (env.JWT_SECRET_KEY === env.JWT_REFRESH_SECRET_KEY) {
    refuse("JWT_REFRESH_SECRET_KEY", "must differ from JWT_SECRET_KEY in production");
  }
  if (KNOWN_WEAK_SECRETS.has(env.SECRET_KEY)) refuse("SECRET_KEY", "a sample value cannot be used in production");
}

function parseCorsOrigins(value: string): "*" | string[] {
  if (value === "*") return "*";
  return value
    .split(",")
    .map((origin) => origin.trim().replace(/\/$/, ""))
    .filter(Boolean);
}

function postgresUrlFromParts(env: Env): string | undefined {
  if (env.POSTGRES_HOST === undefined) return undefined;
  const user = encodeURIComponent(env.POSTGRES_USER);
  const password = encodeURIComponent(env.POSTGRES_PASSWORD);
  return `postgres://${user}:${password}@${env.POSTGRES_HOST}:${env.POSTGRES_PORT}/${encodeURIComponent(env.POSTGRES_DB)}`;
}

function redisUrlFromParts(env: Env): string | undefined {
  if (env.REDIS_HOST === undefined) return undefined;
  return `redis://${env.REDIS_HOST}:${env.REDIS_PORT}/${env.REDIS_DB}`;
}

function auth0Settings(env: Env) {
  const jwksUrl =
    env.AUTH0_JWKS_URL ?? (env.AUTH0_DOMAIN ? `https://${env.AUTH0_DOMAIN}/.well-known/jwks.json` : undefined);
  if (!env.AUTH0_ISSUER || !env.AUTH0_API_AUDIENCE || !jwksUrl) return undefined;
  return { issuer: env.AUTH0_ISSUER, audience: env.AUTH0_API_AUDIENCE, jwksUrl, algorithms: env.AUTH0_ALGORITHMS };
}
