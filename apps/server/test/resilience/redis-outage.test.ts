import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../server-process.js";
import { call, hasRedisServer, newUser, PASSWORD, type PrivateRedis, startPrivateRedis } from "./support.js";

/*
 * Redis holds refresh-token state and login throttling. When it stops, what needs it answers 503 quickly (the
 * store fails fast: no offline queue, one second of waiting for a reconnect), everything else keeps serving, and once
 * it is back everything works again with the same process. The test runs a redis-server of its own, on a free port.
 */
describe.skipIf(!hasRedisServer)(
  `Redis stopped and started again${hasRedisServer ? "" : " (skipped: no redis-server binary on the PATH)"}`,
  () => {
    let redis: PrivateRedis;
    let server: ServerProcess;

    beforeAll(async () => {
      redis = await startPrivateRedis();
      server = await startServerProcess({ REDIS_URL: redis.url });
    });
    afterAll(async () => {
      await server?.stop();
      await redis?.kill();
    });

    const login = (email: string) =>
      call(server.baseUrl, "/auth/login", { method: "POST", json: { email, password: PASSWORD } });

    it("answers 503 within a second for what needs the store, serves the rest, and recovers", async () => {
      const user = await newUser(server.baseUrl);
      const companyOwner = await newUser(server.baseUrl);
      const created = await call(server.baseUrl, "/companies/", {
        method: "POST",
        token: companyOwner.access,
        json: { name: "Still readable" },
      });
      expect(created.status).toBe(201);
      const companyId = (JSON.parse(created.body) as { id: string }).id;
      const pid = server.child.pid;

      await redis.kill();

      // What needs the store: login (throttling), refresh and logout (token families).
      const needsStore = [
        await login(user.email),
        await call(server.baseUrl, "/auth/refresh", { method: "POST", json: { refresh_token: user.refresh } }),
        await call(server.baseUrl, "/auth/logout", {
          method: "POST",
          token: user.access,
          json: { refresh_token: user.refresh },
        }),
      ];
      expect(needsStore.map((answer) => answer.status)).toEqual([503, 503, 503]);
      expect(JSON.parse(needsStore[0]?.body ?? "{}")).toEqual({
        detail: "Service temporarily unavailable",
        code: "SERVICE_UNAVAILABLE",
      });
      // Within 1 s: the store waits 750 ms for Redis to come back, then gives up. Measured 0.77–0.78 s (1.02–1.05 s
      // when the wait was 1 s) on a busy 2-core machine; asserted generously for a loaded CI runner, far under the
      // test's timeout.
      for (const answer of needsStore) expect(answer.ms).toBeLessThan(3000);

      // Everything else: health, the token check (database only), reads and writes of companies, sign-up.
      const others = [
        await call(server.baseUrl, "/"),
        await call(server.baseUrl, "/auth/me", { token: user.access }),
        await call(server.baseUrl, "/users/me", { token: user.access }),
        await call(server.baseUrl, "/companies/?limit=5"),
        await call(server.baseUrl, `/companies/${companyId}`),
        await call(server.baseUrl, "/companies/", { method: "POST", token: user.access, json: { name: "During" } }),
        await call(server.baseUrl, "/users/", {
          method: "POST",
          json: { email: `during-${Date.now()}@example.com`, username: `during_${Date.now()}`, password: PASSWORD },
        }),
      ];
      expect(others.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 201, 201]);
      for (const answer of others) expect(answer.ms).toBeLessThan(3000);

      // Redis is back, empty (no persistence): the same process logs in, refreshes and logs out again.
      await redis.start();
      let loggedIn = await login(user.email);
      for (let attempt = 0; loggedIn.status !== 200 && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        loggedIn = await login(user.email);
      }
      expect(loggedIn.status).toBe(200);
      const pair = JSON.parse(loggedIn.body) as { access_token: string; refresh_token: string };
      const refreshed = await call(server.baseUrl, "/auth/refresh", {
        method: "POST",
        json: { refresh_token: pair.refresh_token },
      });
      expect(refreshed.status).toBe(200);
      const next = JSON.parse(refreshed.body) as { access_token: string; refresh_token: string };
      const loggedOut = await call(server.baseUrl, "/auth/logout", {
        method: "POST",
        token: next.access_token,
        json: { refresh_token: next.refresh_token },
      });
      expect(loggedOut.status).toBe(204);
      expect(server.child.pid).toBe(pid);
      expect(server.child.exitCode).toBeNull();
    });
  },
);
