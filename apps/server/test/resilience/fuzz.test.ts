import { API_VERSION, appRouter } from "@internship/api";
import { buildOpenApi } from "@internship/api/openapi";
import {
  accessTokenFor,
  insertCompany,
  insertInvitation,
  insertMember,
  insertRequest,
  insertUser,
  TEST_PASSWORD,
} from "@internship/api/testing";
import fc from "fast-check";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type TestApp } from "../helpers.js";
import {
  bodyFor,
  contentType,
  type Operation,
  operationsOf,
  pathValue,
  queryFor,
  wellFormed,
} from "./fuzz-requests.js";

const SEED = 20_261_128;
const RUNS = 50;
const TABLES = ["users", "companies", "company_members", "company_invitations", "company_requests"];

// The document the server serves at /openapi.json (checked below), built the same way.
const operations = operationsOf(buildOpenApi(appRouter, { title: "BackendInternship", version: API_VERSION }).document);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Every row of every table, as a digest per table: a rejected request must leave all of them as they were. */
async function snapshot(): Promise<Record<string, string>> {
  const query = TABLES.map(
    (table) =>
      `select '${table}' as name, count(*)::int || ':' || coalesce(md5(string_agg(t::text, '|' order by t.id)), '') as digest from ${table} t`,
  ).join(" union all ");
  // The driver under drizzle: postgres.js (`unsafe`) or PGlite (`query`).
  const client = (t.deps.db as unknown as { $client: DriverClient }).$client;
  const rows = "unsafe" in client ? await client.unsafe(query) : (await client.query(query)).rows;
  return Object.fromEntries(rows.map((row) => [row.name, row.digest]));
}

type DigestRow = { name: string; digest: string };
type DriverClient =
  | { unsafe(query: string): Promise<DigestRow[]> }
  | { query(query: string): Promise<{ rows: DigestRow[] }> };

/**
 * A fresh scene per operation: an owner with a visible and a hidden company, a member, an invited outsider who also
 * asked to join, a superuser and an inactive user; their tokens, and tokens that must not work.
 */
async function scene() {
  const { db, config } = t.deps;
  const [owner, member, outsider, superuser, inactive] = await Promise.all([
    insertUser(db),
    insertUser(db),
    insertUser(db),
    insertUser(db, { is_superuser: true }),
    insertUser(db, { is_active: false }),
  ]);
  if (!owner || !member || !outsider || !superuser || !inactive) throw new Error("no users");
  const visible = await insertCompany(db, owner.id, { name: "Visible" });
  const hidden = await insertCompany(db, owner.id, { name: "Hidden", is_visible: false });
  await insertMember(db, visible.id, member.id);
  const invitation = await insertInvitation(db, { companyId: visible.id, userId: outsider.id, invitedById: owner.id });
  const request = await insertRequest(db, { companyId: visible.id, userId: outsider.id });
  const key = new TextEncoder().encode(config.jwt.accessSecret);
  const refresh = (await login(t, outsider.email, TEST_PASSWORD)).refresh_token;
  const expired = await new SignJWT({ type: "access" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(owner.id)
    .setIssuedAt(1_000_000)
    .setExpirationTime(1_000_060)
    .sign(key);
  const hs384 = await new SignJWT({ type: "access" })
    .setProtectedHeader({ alg: "HS384" })
    .setSubject(owner.id)
    .setExpirationTime("1h")
    .sign(key);
  const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(
    JSON.stringify({ sub: owner.id, type: "access", exp: 9_999_999_999 }),
  ).toString("base64url")}.`;
  const goodTokens = await Promise.all(
    [owner, member, outsider, superuser, inactive].map((user) => accessTokenFor(config, user.id)),
  );
  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...goodTokens).map((token) => `Bearer ${token}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        undefined,
        "",
        "Bearer",
        "Bearer ",
        `Basic ${Buffer.from("a:b").toString("base64")}`,
        `Bearer ${refresh}`,
        `Bearer ${expired}`,
        `Bearer ${hs384}`,
        `Bearer ${unsigned}`,
        `Bearer ${goodTokens[0]} extra`,
        "Bearer not.a.jwt",
        `Bearer ${"a".repeat(10_000)}`,
        `bearer ${goodTokens[1]}`,
      ),
    },
  );
  const users = [owner.id, member.id, outsider.id, superuser.id, inactive.id];
  const ids = fc.constantFrom(visible.id, hidden.id, invitation.id, request.id, ...users);
  // A path parameter mostly gets an id of its own kind, so requests get past "not found" to the rules behind it.
  const idsFor = (parameter: string) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          ...({ company_id: [visible.id, hidden.id], invitation_id: [invitation.id], request_id: [request.id] }[
            parameter
          ] ?? users),
        ),
      },
      { weight: 1, arbitrary: ids },
    );
  return { authorization, ids, idsFor, refresh };
}

function requestFor(operation: Operation, parts: Awaited<ReturnType<typeof scene>>) {
  return fc.record({
    path: fc
      .tuple(...operation.pathParams.map((name) => pathValue(parts.idsFor(name))))
      .map((values) =>
        operation.pathParams.reduce(
          (path, name, index) => path.replace(`{${name}}`, encodeURIComponent(wellFormed(String(values[index])))),
          operation.path,
        ),
      ),
    query: queryFor(operation.queryParams),
    slash: fc.boolean(),
    authorization: parts.authorization,
    body: bodyFor(operation.body, fc.oneof(parts.ids, fc.constant(parts.refresh))),
    contentType,
  });
}

describe("fuzzing every REST operation of /openapi.json", () => {
  it("is the document the server serves", async () => {
    const served = operationsOf(await (await t.request("/openapi.json")).json());
    expect(served.map((operation) => `${operation.method} ${operation.path}`)).toEqual(
      operations.map((operation) => `${operation.method} ${operation.path}`),
    );
  });

  it("answers a query parameter named __proto__ like any other unknown parameter (was a 500)", async () => {
    const response = await t.request("/companies/?__proto__=x&limit=1");
    expect(response.status).toBe(200);
    expect((await t.request("/users/me?__proto__=x")).status).toBe(401);
  });

  it.each(operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s never answers 5xx, and changes no row when it answers 4xx",
    { timeout: 120_000 },
    async (_name, operation) => {
      const parts = await scene();
      await fc.assert(
        fc.asyncProperty(requestFor(operation, parts), async (request) => {
          const headers: Record<string, string> = {};
          if (request.authorization !== undefined) headers.authorization = request.authorization;
          // GET and HEAD cannot carry a body (fetch refuses to build one).
          const body = operation.method === "GET" ? undefined : request.body;
          if (body !== undefined && request.contentType !== undefined) headers["content-type"] = request.contentType;
          const path = `${request.path}${request.slash && !request.path.endsWith("/") ? "/" : ""}${request.query}`;
          const before = await snapshot();
          const response = await t.app.request(path, {
            method: operation.method,
            headers,
            ...(body !== undefined && { body }),
          });
          const text = await response.text();
          const described = `${operation.method} ${path.slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
          expect(response.status, described).toBeLessThan(500);
          if (response.status >= 400) expect(await snapshot(), described).toEqual(before);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    },
  );
});
