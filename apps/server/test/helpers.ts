import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import { type AppDeps, type AppRouter, type Config, silentLogger, type TokenPair } from "@internship/api";
import { accessTokenFor, createTestDatabase, createTestStore, insertUser, testConfig } from "@internship/api/testing";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import { createApp } from "../src/app.js";
import { PRISM_BINARY, type PrismProxy, startPrism } from "./prism.js";

export type TestApp = {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  request(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<Response>;
  close(): Promise<void>;
};

/** The real app on this file's own database and store (behind Prism's validating proxy when PRISM is set). */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config: Config = testConfig(overrides);
  const database = await createTestDatabase();
  const store = createTestStore();
  const deps: AppDeps = { config, db: database.db, store, logger: silentLogger };
  const app = createApp(deps);
  const prism = PRISM_BINARY ? await proxied(app, PRISM_BINARY) : undefined;
  return {
    app,
    deps,
    request: async (path, { json, token, headers, ...init } = {}) => {
      const merged = new Headers(headers);
      if (json !== undefined) merged.set("content-type", "application/json");
      if (token !== undefined) merged.set("authorization", `Bearer ${token}`);
      const requestInit = { ...init, headers: merged, ...(json !== undefined && { body: JSON.stringify(json) }) };
      return prism ? fetch(`${prism.baseUrl}${path}`, requestInit) : app.request(path, requestInit);
    },
    close: async () => {
      const violations = await prism?.close();
      await store.close();
      await database.close();
      if (violations?.length)
        throw new Error(`Prism saw responses the document does not allow:\n${violations.join("\n")}`);
    },
  };
}

async function proxied(app: ReturnType<typeof createApp>, binary: string): Promise<PrismProxy> {
  const document = await (await app.request("/openapi.json")).json();
  const upstream = await new Promise<{ url: string; close(): void }>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => server.close() }),
    );
  });
  const prism = await startPrism(binary, document, upstream.url);
  return {
    baseUrl: prism.baseUrl,
    close: async () => {
      const violations = await prism.close();
      upstream.close();
      return violations;
    },
  };
}

/** The test app on a real socket on a free port: what `app.request` skips (Node's outgoing message) runs too. */
export function listen(t: TestApp): Promise<{ baseUrl: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve({
        baseUrl: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((closed) => server.close(() => closed())),
      }),
    );
  });
}

/** A user inserted straight into the database, with an access token. */
export async function createUserWithToken(
  t: TestApp,
  overrides: Parameters<typeof insertUser>[1] = {},
): Promise<{ user: Awaited<ReturnType<typeof insertUser>>; token: string }> {
  const user = await insertUser(t.deps.db, overrides);
  return { user, token: await accessTokenFor(t.deps.config, user.id) };
}

/** A tRPC client calling this app in-process, as the holder of `token` when one is given. */
export function trpcClient(t: TestApp, token?: string): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: "http://test/trpc",
        fetch: async (url, init) => t.app.request(String(url), init as RequestInit),
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      }),
    ],
  });
}

/** A valid sign-up body with an email and a username no other test uses. */
export function signUpBody(overrides: Record<string, unknown> = {}): {
  email: string;
  username: string;
  password: string;
} {
  const suffix = randomBytes(5).toString("hex");
  return {
    email: `new-${suffix}@example.com`,
    username: `new_${suffix}`,
    password: "a long enough password",
    ...overrides,
  };
}

/** Logs in over REST and returns the token pair (fails the test on anything but 200). */
export async function login(
  t: TestApp,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<TokenPair> {
  const response = await t.request("/auth/login", { method: "POST", json: { email, password }, headers });
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as TokenPair;
}

/** Every field of a UserDetail, sorted. */
export const USER_DETAIL_KEYS = [
  "avatar_url",
  "bio",
  "created_at",
  "email",
  "first_name",
  "id",
  "is_active",
  "is_superuser",
  "last_name",
  "phone",
  "updated_at",
  "username",
];
