import { describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, parseOptions, UsageError } from "../src/options.js";

describe("pnpm bench options", () => {
  it("runs the issue's scenario by default: 1,000 users, 10,000 companies, bcrypt at the server's cost", () => {
    const options = parseOptions([], {});
    expect(options).toMatchObject({ users: 1000, companies: 10_000, bcryptRounds: 12, rounds: 2, only: [] });
    expect(options.databaseUrl).toBe(DEFAULT_DATABASE_URL);
    expect(options.redisUrl).toBe(DEFAULT_REDIS_URL);
  });

  it("takes the flags pnpm forwards, after a lone -- and in both spellings", () => {
    const options = parseOptions(["--", "--companies", "1_000_000", "--duration=3", "--only", "list,me", "--profile"], {
      BENCH_DATABASE_URL: "postgres://admin@db:5432/postgres",
      BENCH_REDIS_URL: "redis://cache:6379/9",
    });
    expect(options).toMatchObject({ companies: 1_000_000, durationSeconds: 3, only: ["list", "me"], profile: true });
    expect(options.databaseUrl).toBe("postgres://admin@db:5432/postgres");
    expect(options.redisUrl).toBe("redis://cache:6379/9");
  });

  it("refuses unknown flags and values out of range, with the usage", () => {
    expect(() => parseOptions(["--companys", "5"], {})).toThrow(UsageError);
    expect(() => parseOptions(["--companies", "0"], {})).toThrow(/--companies must be an integer/);
    expect(() => parseOptions(["--bcrypt-rounds", "3"], {})).toThrow(/from 4 to 15/);
    expect(() => parseOptions(["--duration"], {})).toThrow(/needs a value/);
  });
});
