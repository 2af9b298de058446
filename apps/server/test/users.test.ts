import { randomUUID } from "node:crypto";
import { tables } from "@internship/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectTrpcError, ISO_UTC } from "./expect.js";
import {
  createTestApp,
  createUserWithToken,
  login,
  signUpBody,
  type TestApp,
  trpcClient,
  USER_DETAIL_KEYS,
} from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Detail = Record<string, unknown> & { id: string; email: string; username: string; updated_at: string };

const signUp = (body: unknown) => t.request("/users/", { method: "POST", json: body });
const userCount = () => t.deps.db.$count(tables.users);

describe("POST /users/", () => {
  it("creates an active user and answers 201 with the UserDetail, without any password", async () => {
    const body = signUpBody();
    const response = await signUp(body);
    expect(response.status).toBe(201);
    const text = await response.text();
    expect(text).not.toMatch(/password|\$2[aby]\$/);
    const user = JSON.parse(text) as Detail;
    expect(Object.keys(user).sort()).toEqual(USER_DETAIL_KEYS);
    expect(user).toMatchObject({
      email: body.email,
      username: body.username,
      is_active: true,
      is_superuser: false,
      first_name: null,
      last_name: null,
      bio: null,
      avatar_url: null,
      phone: null,
    });
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(user.created_at).toMatch(ISO_UTC);
    expect(user.updated_at).toMatch(ISO_UTC);
  });

  it("stores the email trimmed and lower-cased and the username trimmed; the password is not trimmed", async () => {
    const body = signUpBody();
    const response = await signUp({ ...body, email: `  ${body.email.toUpperCase()} `, username: ` ${body.username} ` });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ email: body.email, username: body.username });
    const padded = signUpBody({ password: "  spaced password  " });
    expect((await signUp(padded)).status).toBe(201);
    await login(t, padded.email, "  spaced password  ");
    const trimmed = await t.request("/auth/login", {
      method: "POST",
      json: { email: padded.email, password: "spaced password" },
    });
    expect(trimmed.status).toBe(401);
  });

  it("accepts any Unicode username and a password of exactly 72 UTF-8 bytes", async () => {
    const body = signUpBody({ username: `Zoë 山田 ${randomUUID().slice(0, 8)}`, password: "€".repeat(24) });
    const response = await signUp(body);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ username: body.username });
    await login(t, body.email, body.password);
  });

  it("ignores unknown fields and the ones a caller may not set", async () => {
    const id = randomUUID();
    const body = signUpBody({ id, is_superuser: true, is_active: false, created_at: "2000-01-01T00:00:00.000Z" });
    const response = await signUp(body);
    expect(response.status).toBe(201);
    const user = (await response.json()) as Detail;
    expect(user).toMatchObject({ is_superuser: false, is_active: true });
    expect(user.id).not.toBe(id);
    expect(user.created_at).not.toBe("2000-01-01T00:00:00.000Z");
  });

  it("ignores a garbage Authorization header", async () => {
    const response = await t.request("/users/", {
      method: "POST",
      json: signUpBody(),
      headers: { authorization: "Bearer garbage" },
    });
    expect(response.status).toBe(201);
  });

  it.each([
    ["a missing email", { email: undefined }, "email"],
    ["an email without @", { email: "no-at.example.com" }, "email"],
    ["an email with two @", { email: "a@b@example.com" }, "email"],
    ["an email without a dot in the domain", { email: "jane@localhost" }, "email"],
    ["an email with a space in the local part", { email: "jane doe@example.com" }, "email"],
    ["an email in display-name form", { email: "Jane <jane@example.com>" }, "email"],
    ["an email over 255 characters", { email: `${"a".repeat(250)}@example.com` }, "email"],
    ["a missing username", { username: undefined }, "username"],
    ["a username of 2 characters once trimmed", { username: "  ab  " }, "username"],
    ["a username over 100 characters", { username: "u".repeat(101) }, "username"],
    ["a username with a control character", { username: "tab\there" }, "username"],
    ["a username with U+0000", { username: "nul\u0000byte" }, "username"],
    ["a missing password", { password: undefined }, "password"],
    ["a password of 7 characters", { password: "1234567" }, "password"],
    ["a password of 101 characters", { password: "p".repeat(101) }, "password"],
    ["a password of 73 UTF-8 bytes", { password: `${"€".repeat(24)}x` }, "password"],
    ["a non-string email", { email: 42 }, "email"],
  ])("answers 422 for %s and stores nothing", async (_case, overrides, field) => {
    const before = await userCount();
    const response = await signUp(signUpBody(overrides));
    const body = (await expectError(response, 422, "Validation error")) as { issues?: { path: string[] }[] };
    expect(body.issues?.map((issue) => issue.path[0])).toContain(field);
    expect(await userCount()).toBe(before);
  });

  it("answers 409 'Email already registered' for a taken email, whatever its case", async () => {
    const first = signUpBody();
    expect((await signUp(first)).status).toBe(201);
    await expectError(await signUp(signUpBody({ email: first.email.toUpperCase() })), 409, "Email already registered");
  });

  it("answers 409 'Username already taken' for a taken username (case-sensitive)", async () => {
    const first = signUpBody({ username: `Taken_${randomUUID().slice(0, 8)}` });
    expect((await signUp(first)).status).toBe(201);
    await expectError(await signUp(signUpBody({ username: first.username })), 409, "Username already taken");
    expect((await signUp(signUpBody({ username: first.username.toLowerCase() }))).status).toBe(201);
  });

  it("reports the email first when both the email and the username are taken", async () => {
    const first = signUpBody();
    expect((await signUp(first)).status).toBe(201);
    await expectError(await signUp({ ...first }), 409, "Email already registered");
  });

  it("lets exactly one of 20 simultaneous sign-ups with one email through; the rest get 409", async () => {
    const email = signUpBody().email;
    const responses = await Promise.all(Array.from({ length: 20 }, () => signUp(signUpBody({ email }))));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    const bodies = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json()));
    expect(new Set(bodies.map((body) => body.detail))).toEqual(new Set(["Email already registered"]));
  });

  it("works over tRPC as users.create", async () => {
    const body = signUpBody();
    const user = await trpcClient(t).users.create.mutate(body);
    expect(user).toMatchObject({ email: body.email, is_active: true });
    await expectTrpcError(trpcClient(t).users.create.mutate(body), "CONFLICT", "Email already registered");
    await expectTrpcError(trpcClient(t).users.create.mutate({ ...signUpBody(), email: "bad" }), "BAD_REQUEST");
  });
});

describe("GET /users/", () => {
  it("lists every user, inactive ones included, newest first, with the list-item fields only", async () => {
    const caller = await createUserWithToken(t);
    const inactive = await createUserWithToken(t, { is_active: false });
    const response = await t.request("/users?limit=2", { token: caller.token });
    expect(response.status).toBe(200);
    const listItem = ({ id, email, username, is_active }: typeof caller.user) => ({ id, email, username, is_active });
    expect(await response.json()).toEqual({
      users: [listItem(inactive.user), listItem(caller.user)],
      total: await userCount(),
      next_cursor: expect.any(String),
    });
  });

  it("breaks created_at ties by id, descending", async () => {
    const { token } = await createUserWithToken(t);
    // One statement, one now(): both rows get the same created_at.
    const twins = await t.deps.db
      .insert(tables.users)
      .values([signUpBody(), signUpBody()].map(({ email, username }) => ({ email, username, hashed_password: "x" })))
      .returning();
    expect(twins[0]?.created_at).toEqual(twins[1]?.created_at);
    const page = await (await t.request("/users?limit=2", { token })).json();
    const expected = twins
      .map((twin) => twin.id)
      .sort()
      .reverse();
    expect(page.users.map((user: { id: string }) => user.id)).toEqual(expected);
  });

  it("pages with skip and limit without overlap, and a skip past the end keeps the total", async () => {
    const { token } = await createUserWithToken(t);
    await createUserWithToken(t);
    const total = await userCount();
    const first = await (await t.request("/users/?skip=0&limit=2", { token })).json();
    const second = await (await t.request("/users/?skip=2&limit=2", { token })).json();
    expect(first.users).toHaveLength(2);
    expect(first.total).toBe(total);
    const ids = [...first.users, ...second.users].map((user: { id: string }) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
    const past = await (await t.request(`/users/?skip=${total + 10}`, { token })).json();
    expect(past).toEqual({ users: [], total, next_cursor: null });
  });

  it.each(["skip=-1", "limit=0", "limit=101", "skip=1.5", "limit=abc", "limit=2e1", "skip=2147483648"])(
    "answers 422 for %s",
    async (query) => {
      const { token } = await createUserWithToken(t);
      await expectError(await t.request(`/users/?${query}`, { token }), 422, "Validation error");
    },
  );

  it("works over tRPC as users.list", async () => {
    const { token } = await createUserWithToken(t);
    const page = await trpcClient(t, token).users.list.query({ skip: 0, limit: 1 });
    expect(page.users).toHaveLength(1);
    expect(page.total).toBe(await userCount());
    await expectTrpcError(trpcClient(t).users.list.query({}), "UNAUTHORIZED");
  });
});

describe("GET /users/me", () => {
  it("answers the caller's UserDetail, phone included", async () => {
    const { user, token } = await createUserWithToken(t);
    await t.request("/users/me", { method: "PUT", token, json: { phone: "+380123456789" } });
    const response = await t.request("/users/me", { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Detail;
    expect(Object.keys(body).sort()).toEqual(USER_DETAIL_KEYS);
    expect(body).toMatchObject({ id: user.id, email: user.email, phone: "+380123456789" });
  });

  it.each([
    ["no header", undefined],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["an empty token", "Bearer "],
    ["two tokens", "Bearer a b"],
    ["a malformed token", "Bearer not.a.jwt"],
  ])("answers 401 with WWW-Authenticate for %s", async (_case, authorization) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    await expectError(await t.request("/users/me", { headers }), 401, "Could not validate credentials");
  });

  it("accepts the scheme word in any case", async () => {
    const { token } = await createUserWithToken(t);
    const response = await t.request("/users/me", { headers: { authorization: `bEaReR ${token}` } });
    expect(response.status).toBe(200);
  });

  it("works over tRPC as users.me", async () => {
    const { user, token } = await createUserWithToken(t);
    expect(await trpcClient(t, token).users.me.query()).toMatchObject({ id: user.id });
  });
});
