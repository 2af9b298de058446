import { randomUUID } from "node:crypto";
import { appRouter, type RestRoute } from "@internship/api";
import { buildOpenApi } from "@internship/api/openapi";
import { deleteUserRow } from "@internship/api/testing";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createUserWithToken, type TestApp } from "./helpers.js";

/*
 * Every authentication case against every operation of the served document: a route added later is covered without
 * anyone writing its 401/403 tests. Bearer-only operations refuse each bad case before looking at the path or the
 * body; optional-auth operations treat each one as an anonymous caller.
 */
let t: TestApp;
let cases: [name: string, token: string | undefined, status: number, detail: string][];

const encoder = new TextEncoder();
const signed = (claims: Record<string, unknown>, secret: string, expiresAt: number | string = "10m") =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(encoder.encode(secret));

beforeAll(async () => {
  t = await createTestApp();
  const { jwt } = t.deps.config;
  const { user } = await createUserWithToken(t);
  const sub = user.id;
  const inactive = await createUserWithToken(t, { is_active: false });
  const deleted = await createUserWithToken(t);
  await deleteUserRow(t.deps.db, deleted.user.id);
  const bad = "Could not validate credentials";
  cases = [
    ["no token", undefined, 401, bad],
    ["a malformed token", "not-a-jwt", 401, bad],
    [
      "an expired token",
      await signed({ type: "access", sub }, jwt.accessSecret, Math.floor(Date.now() / 1000) - 1),
      401,
      bad,
    ],
    [
      "a token signed with another key",
      await signed({ type: "access", sub }, "another secret, long enough to sign"),
      401,
      bad,
    ],
    [
      "a refresh token as an access token",
      await signed({ type: "refresh", sub, jti: randomUUID(), fam: randomUUID() }, jwt.refreshSecret),
      401,
      bad,
    ],
    ["a deleted user's token", deleted.token, 401, "User not found"],
    ["an inactive user's token", inactive.token, 403, "Inactive user"],
  ];
});
afterAll(() => t.close());

type DocumentOperation = { operationId: string; security?: Record<string, string[]>[] };
const { document, routes } = buildOpenApi(appRouter, { title: "test", version: "test" });
const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, DocumentOperation>).map(([method, operation]) => ({ path, method, operation })),
);
const bearerOnly = documented.filter(({ operation }) => JSON.stringify(operation.security) === '[{"bearer":[]}]');
const optional = documented.filter(({ operation }) => JSON.stringify(operation.security) === '[{},{"bearer":[]}]');

/** The path with every parameter an id nobody holds. */
const concrete = (path: string) => path.replace(/\{[a-z_]+\}/g, () => randomUUID());

async function callRest(method: string, path: string, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const body = method === "post" || method === "put" ? "{}" : undefined;
  return t.app.request(concrete(path), { method: method.toUpperCase(), headers, ...(body && { body }) });
}

/** The procedure over /trpc with empty input: only authentication can answer first. */
async function callTrpc(route: RestRoute, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const url = `/trpc/${route.procedurePath}`;
  if (route.type === "query") return t.app.request(`${url}?input=${encodeURIComponent("{}")}`, { headers });
  return t.app.request(url, { method: "POST", headers, body: "{}" });
}

describe("the document's protected operations", () => {
  it("are the operations the route table marks as needing a token, and there are some of each kind", () => {
    const tableBearer = routes.filter((route) => route.auth === "required").map((r) => `${r.method} ${r.path}`);
    expect(bearerOnly.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(tableBearer.sort());
    expect(bearerOnly.length).toBeGreaterThan(20);
    expect(optional.length).toBeGreaterThan(0);
  });
});

describe.each(bearerOnly)("$method $path", ({ method, path }) => {
  it("refuses every bad credential on REST with its status, detail and WWW-Authenticate on 401", async () => {
    for (const [name, token, status, detail] of cases) {
      const response = await callRest(method, path, token);
      expect(response.status, name).toBe(status);
      expect(await response.json(), name).toMatchObject({ detail });
      if (status === 401) expect(response.headers.get("www-authenticate"), name).toBe("Bearer");
    }
  });
});

describe.each(routes.filter((route) => route.auth === "required"))("tRPC $procedurePath", (route) => {
  it("refuses every bad credential with the same status and message", async () => {
    for (const [name, token, status, detail] of cases) {
      const response = await callTrpc(route, token);
      expect(response.status, name).toBe(status);
      expect(await response.json(), name).toMatchObject({ error: { message: detail, data: { httpStatus: status } } });
    }
  });
});

describe.each(optional)("$method $path (token optional)", ({ method, path }) => {
  it("answers every bad credential as it answers no token at all, never 401 or 403", async () => {
    const anonymous = await callRest(method, path, undefined);
    const anonymousBody = await anonymous.json();
    for (const [name, token] of cases) {
      const response = await callRest(method, path, token);
      expect(response.status, name).toBe(anonymous.status);
      expect(await response.json(), name).toEqual(anonymousBody);
    }
  });
});
