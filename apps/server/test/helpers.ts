import { type AppDeps, type Config, silentLogger } from "@internship/api";
import { accessTokenFor, createTestDatabase, createTestStore, insertUser, testConfig } from "@internship/api/testing";
import { createApp } from "../src/app.js";

export type TestApp = {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  request(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<Response>;
  close(): Promise<void>;
};

/** The real app on this file's own database and store. */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config: Config = testConfig(overrides);
  const database = await createTestDatabase();
  const store = createTestStore();
  const deps: AppDeps = { config, db: database.db, store, logger: silentLogger };
  const app = createApp(deps);
  return {
    app,
    deps,
    request: async (path, { json, token, headers, ...init } = {}) => {
      const merged = new Headers(headers);
      if (json !== undefined) merged.set("content-type", "application/json");
      if (token !== undefined) merged.set("authorization", `Bearer ${token}`);
      return app.request(path, {
        ...init,
        headers: merged,
        ...(json !== undefined && { body: JSON.stringify(json) }),
      });
    },
    close: async () => {
      await store.close();
      await database.close();
    },
  };
}

/** A user inserted straight into the database, with an access token. */
export async function createUserWithToken(
  t: TestApp,
  overrides: Parameters<typeof insertUser>[1] = {},
): Promise<{ user: Awaited<ReturnType<typeof insertUser>>; token: string }> {
  const user = await insertUser(t.deps.db, overrides);
  return { user, token: await accessTokenFor(t.deps.config, user.id) };
}
