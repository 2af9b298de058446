import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { withDatabase } from "@internship/api/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../server-process.js";
import { call, hasRedisServer, newUser, PASSWORD, type PrivateRedis, startPrivateRedis } from "./support.js";

const journal = JSON.parse(
  readFileSync(new URL("../../../../packages/api/drizzle/meta/_journal.json", import.meta.url), "utf8"),
) as { entries: unknown[] };

/*
 * "Growing past one machine": two instances on one PostgreSQL and one Redis keep no state of their own. They start at
 * the same moment on an empty database (the migrations run once, under the advisory lock), and a token revoked or a
 * failure counted on one is seen by the other. The Redis is the test's own, so no other test shares its keys.
 */
describe.runIf(process.env.DATABASE_URL && hasRedisServer)(
  `two instances on one PostgreSQL and Redis${hasRedisServer ? "" : " (skipped: no redis-server binary on the PATH)"}`,
  () => {
    const databaseName = `internship_pair_${randomBytes(5).toString("hex")}`;
    let databaseUrl: string;
    let admin: postgres.Sql;
    let redis: PrivateRedis;
    let first: ServerProcess;
    let second: ServerProcess;

    beforeAll(async () => {
      const adminUrl = process.env.DATABASE_URL ?? "";
      databaseUrl = withDatabase(adminUrl, databaseName);
      admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${databaseName}"`);
      redis = await startPrivateRedis();
      const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
      [first, second] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    });
    afterAll(async () => {
      await Promise.all([first?.stop(), second?.stop()]);
      await redis?.kill();
      await admin?.unsafe(`drop database if exists "${databaseName}" with (force)`);
      await admin?.end();
    });

    it("apply the migrations once when they start together on an empty database", async () => {
      const database = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      try {
        const [row] = await database<{ applied: number; distinct_hashes: number }[]>`
          select count(*)::int as applied, count(distinct hash)::int as distinct_hashes
          from drizzle.__drizzle_migrations`;
        expect(row).toEqual({ applied: journal.entries.length, distinct_hashes: journal.entries.length });
      } finally {
        await database.end();
      }
      expect((await call(first.baseUrl, "/")).status).toBe(200);
      expect((await call(second.baseUrl, "/")).status).toBe(200);
    });

    it("share refresh-token state: a logout on one instance revokes the token on the other", async () => {
      const user = await newUser(first.baseUrl);
      // Rotated on the second instance: the family the first one started is known there.
      const rotated = await call(second.baseUrl, "/auth/refresh", {
        method: "POST",
        json: { refresh_token: user.refresh },
      });
      expect(rotated.status).toBe(200);
      const pair = JSON.parse(rotated.body) as { access_token: string; refresh_token: string };

      const loggedOut = await call(first.baseUrl, "/auth/logout", {
        method: "POST",
        token: pair.access_token,
        json: { refresh_token: pair.refresh_token },
      });
      expect(loggedOut.status).toBe(204);
      const refused = await call(second.baseUrl, "/auth/refresh", {
        method: "POST",
        json: { refresh_token: pair.refresh_token },
      });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ detail: "Invalid refresh token" });
    });

    it("count failed logins across both: the sixth failure in the window is throttled, whichever instance gets it", async () => {
      const user = await newUser(first.baseUrl);
      const attempt = (server: ServerProcess, password: string) =>
        call(server.baseUrl, "/auth/login", { method: "POST", json: { email: user.email, password } });
      const failures = [];
      // Five failures, alternating: neither instance alone reaches LOGIN_MAX_FAILURES (5).
      for (let index = 0; index < 5; index++) {
        failures.push((await attempt(index % 2 === 0 ? first : second, "wrong password")).status);
      }
      expect(failures).toEqual([401, 401, 401, 401, 401]);
      const throttled = await attempt(second, "wrong password");
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
      // Throttled for the right password too, on the other instance.
      expect((await attempt(first, PASSWORD)).status).toBe(429);
    });
  },
);
