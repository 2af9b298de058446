import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, configWarnings, loadConfig, SAMPLE_JWT_SECRET } from "./config.js";

/** The repository's .env.sample as KEY=VALUE pairs (comments and blank lines skipped). */
const envSample: Record<string, string> = Object.fromEntries(
  readFileSync(new URL("../../../.env.sample", import.meta.url), "utf8")
    .split("\n")
    .map((line) => line.match(/^([A-Z0-9_]+)=(.*)$/))
    .filter((match) => match !== null)
    .map((match) => [match[1], match[2]]),
);

const strongSecrets = {
  JWT_SECRET_KEY: "a".repeat(40),
  JWT_REFRESH_SECRET_KEY: "b".repeat(40),
  SECRET_KEY: "c".repeat(40),
};

describe("loadConfig", () => {
  it("applies the documented defaults with an empty environment", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      appName: "BackendInternship",
      debug: true,
      environment: "development",
      host: "0.0.0.0",
      port: 8000,
      corsOrigins: "*",
      databaseUrl: undefined,
      redisUrl: undefined,
      auth0: undefined,
      bcryptRounds: 12,
      login: { maxFailures: 5, maxFailuresPerAddress: 50, windowSeconds: 900 },
      trustProxy: false,
      schedulerEnabled: true,
      quizResponseTtlSeconds: 172_800,
    });
    expect(config.jwt.accessTtlSeconds).toBe(30 * 60);
    expect(config.jwt.refreshTtlSeconds).toBe(7 * 86_400);
    expect(config.jwt.accessSecret).not.toBe(config.jwt.refreshSecret);
  });

  it("reads booleans as pydantic-settings did", () => {
    for (const [raw, value] of [
      ["YES", true],
      ["on", true],
      ["1", true],
      ["Off", false],
      ["no", false],
      ["0", false],
    ] as const) {
      expect(loadConfig({ DEBUG: raw }).debug).toBe(value);
    }
  });

  it.each([
    ["PORT", "eighty", "Invalid setting PORT"],
    ["PORT", "70000", "Invalid setting PORT"],
    ["DEBUG", "maybe", "Invalid setting DEBUG"],
    ["ENVIRONMENT", "staging", "Invalid setting ENVIRONMENT"],
    ["JWT_ALGORITHM", "HS512", "Invalid setting JWT_ALGORITHM"],
    ["BCRYPT_ROUNDS", "3", "Invalid setting BCRYPT_ROUNDS"],
    ["AUTH0_ALGORITHMS", "RS256,HS256", "Invalid setting AUTH0_ALGORITHMS"],
    ["AUTH0_JWKS_URL", "ftp://keys.example.com", "Invalid setting AUTH0_JWKS_URL"],
    ["LOG_LEVEL", "loud", "Invalid setting LOG_LEVEL"],
  ])("refuses %s=%s with one line naming the variable", (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it("builds the database URL from POSTGRES_* only when POSTGRES_HOST is set, DATABASE_URL winning", () => {
    expect(loadConfig({ POSTGRES_USER: "app" }).databaseUrl).toBeUndefined();
    expect(loadConfig({ POSTGRES_HOST: "db", POSTGRES_PASSWORD: "p@ss" }).databaseUrl).toBe(
      "postgres://postgres:p%40ss@db:5432/internship_db",
    );
    expect(loadConfig({ POSTGRES_HOST: "db", DATABASE_URL: "postgres://x@y/z" }).databaseUrl).toBe("postgres://x@y/z");
  });

  it("puts the embedded database under DATA_DIR (.data by default)", () => {
    expect(loadConfig({}).embeddedDataDir).toBe(".data/pglite");
    expect(loadConfig({ DATA_DIR: "/data" }).embeddedDataDir).toBe("/data/pglite");
  });

  it("builds the Redis URL from REDIS_* only when REDIS_HOST is set, REDIS_URL winning", () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_HOST: "cache", REDIS_DB: "2" }).redisUrl).toBe("redis://cache:6379/2");
    expect(loadConfig({ REDIS_HOST: "cache", REDIS_URL: "redis://other:1/0" }).redisUrl).toBe("redis://other:1/0");
  });

  it("turns Auth0 on only when issuer, audience and a JWKS location are all set", () => {
    expect(loadConfig({ AUTH0_DOMAIN: "t.auth0.com", AUTH0_ISSUER: "https://t.auth0.com/" }).auth0).toBeUndefined();
    expect(
      loadConfig({ AUTH0_DOMAIN: "t.auth0.com", AUTH0_ISSUER: "https://t.auth0.com/", AUTH0_API_AUDIENCE: "api" })
        .auth0,
    ).toEqual({
      issuer: "https://t.auth0.com/",
      audience: "api",
      jwksUrl: "https://t.auth0.com/.well-known/jwks.json",
      algorithms: ["RS256"],
    });
  });

  it("parses CORS_ORIGINS as * or a list of exact origins", () => {
    expect(loadConfig({ CORS_ORIGINS: " https://a.example, https://b.example/ " }).corsOrigins).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
  });

  describe("in production", () => {
    it("starts with strong, distinct secrets", () => {
      expect(loadConfig({ ENVIRONMENT: "production", ...strongSecrets }).environment).toBe("production");
    });

    it.each([
      ["the sample access secret", { JWT_SECRET_KEY: SAMPLE_JWT_SECRET }, "JWT_SECRET_KEY"],
      ["the original's sample secret", { JWT_SECRET_KEY: "your-secret-key-change-in-production" }, "JWT_SECRET_KEY"],
      ["a short refresh secret", { JWT_REFRESH_SECRET_KEY: "short" }, "JWT_REFRESH_SECRET_KEY"],
      ["equal secrets", { JWT_REFRESH_SECRET_KEY: "a".repeat(40) }, "JWT_REFRESH_SECRET_KEY"],
      ["the default SECRET_KEY", { SECRET_KEY: "default-secret-key" }, "SECRET_KEY"],
    ])("refuses %s", (_case, override, variable) => {
      expect(() => loadConfig({ ENVIRONMENT: "production", ...strongSecrets, ...override })).toThrow(
        new RegExp(`^Invalid setting ${variable}:`),
      );
    });

    it("starts from .env.sample once its three secrets are replaced", () => {
      expect(loadConfig({ ...envSample, ENVIRONMENT: "production", ...strongSecrets }).environment).toBe("production");
    });

    it.each(["JWT_SECRET_KEY", "JWT_REFRESH_SECRET_KEY", "SECRET_KEY"])(
      "refuses .env.sample's placeholder %s",
      (name) => {
        expect(envSample[name]).toBeTruthy();
        expect(() => loadConfig({ ENVIRONMENT: "production", ...strongSecrets, [name]: envSample[name] })).toThrow(
          new RegExp(`^Invalid setting ${name}: a sample`),
        );
      },
    );

    it("refuses the unedited .env.sample", () => {
      expect(() => loadConfig({ ...envSample, ENVIRONMENT: "production" })).toThrow(ConfigError);
    });

    it("refuses the defaults (no secrets set at all)", () => {
      expect(() => loadConfig({ ENVIRONMENT: "production" })).toThrow(ConfigError);
    });
  });

  it("warns outside production about sample or equal secrets", () => {
    expect(configWarnings(loadConfig({}))).toHaveLength(1);
    expect(
      configWarnings(loadConfig({ JWT_SECRET_KEY: "x".repeat(40), JWT_REFRESH_SECRET_KEY: "x".repeat(40) })),
    ).toEqual(["JWT_SECRET_KEY equals JWT_REFRESH_SECRET_KEY; set two different secrets"]);
    expect(configWarnings(loadConfig(strongSecrets))).toEqual([]);
  });
});
