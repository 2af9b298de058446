import { randomUUID } from "node:crypto";
import { tables } from "@internship/api";
import { TEST_PASSWORD } from "@internship/api/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createUserWithToken, login, signUpBody, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DETAIL_KEYS = [
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
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Detail = Record<string, unknown> & { id: string; email: string; username: string; updated_at: string };

const signUp = (body: unknown) => t.request("/users/", { method: "POST", json: body });
const userCount = () => t.deps.db.$count(tables.users);

async function expectError(response: Response, status: number, detail?: string) {
  const body = (await response.json()) as { detail: string; code: string };
  expect({ status: response.status, body }).toMatchObject({ status, ...(detail && { body: { detail } }) });
  if (status === 401) expect(response.headers.get("www-authenticate")).toBe("Bearer");
  return body;
}

async function expectTrpcError(call: Promise<unknown>, code: string, message?: string) {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const { data, message: actual } = error as { data: { code: string }; message: string };
  expect({ code: data.code, message: actual }).toMatchObject({ code, ...(message && { message }) });
}

describe("POST /users/", () => {
  it("creates an active user and answers 201 with the UserDetail, without any password", async () => {
    const body = signUpBody();
    const response = await signUp(body);
    expect(response.status).toBe(201);
    const text = await response.text();
    expect(text).not.toMatch(/password|\$2[aby]\$/);
    const user = JSON.parse(text) as Detail;
    expect(Object.keys(user).sort()).toEqual(DETAIL_KEYS);
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
  it("answers 401 with WWW-Authenticate without a token, and 403 for an inactive caller", async () => {
    await expectError(await t.request("/users/"), 401, "Could not validate credentials");
    const { token } = await createUserWithToken(t, { is_active: false });
    await expectError(await t.request("/users/", { token }), 403, "Inactive user");
  });

  it("lists every user, inactive ones included, newest first, with the list-item fields only", async () => {
    const caller = await createUserWithToken(t);
    const inactive = await createUserWithToken(t, { is_active: false });
    const response = await t.request("/users?limit=2", { token: caller.token });
    expect(response.status).toBe(200);
    const listItem = ({ id, email, username, is_active }: typeof caller.user) => ({ id, email, username, is_active });
    expect(await response.json()).toEqual({
      users: [listItem(inactive.user), listItem(caller.user)],
      total: await userCount(),
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
    expect(past).toEqual({ users: [], total });
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
    expect(Object.keys(body).sort()).toEqual(DETAIL_KEYS);
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

  it("answers 403 'Inactive user' for an inactive caller", async () => {
    const { token } = await createUserWithToken(t, { is_active: false });
    await expectError(await t.request("/users/me", { token }), 403, "Inactive user");
  });

  it("works over tRPC as users.me", async () => {
    const { user, token } = await createUserWithToken(t);
    expect(await trpcClient(t, token).users.me.query()).toMatchObject({ id: user.id });
  });
});

describe("PUT /users/me", () => {
  const update = (token: string, json: unknown) => t.request("/users/me", { method: "PUT", token, json });

  it("updates the username (trimmed) and the profile fields (trimmed), keeping absent ones", async () => {
    const { token } = await createUserWithToken(t);
    const username = `renamed_${randomUUID().slice(0, 8)}`;
    const response = await update(token, {
      username: `  ${username} `,
      first_name: " Jane ",
      last_name: "Doe",
      bio: " Loves  tests ",
      avatar_url: " https://example.com/a.png ",
      phone: "+380123456789",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      username,
      first_name: "Jane",
      last_name: "Doe",
      bio: "Loves  tests",
      avatar_url: "https://example.com/a.png",
      phone: "+380123456789",
    });
    const again = await (await update(token, { bio: "Changed" })).json();
    expect(again).toMatchObject({ username, first_name: "Jane", bio: "Changed", phone: "+380123456789" });
  });

  it("clears a profile field with null or an empty (or blank) string; null on the username changes nothing", async () => {
    const { user, token } = await createUserWithToken(t);
    await update(token, { first_name: "Jane", last_name: "Doe", bio: "Bio", phone: "123" });
    const response = await update(token, { first_name: null, last_name: "", bio: "   ", username: null });
    expect(await response.json()).toMatchObject({
      first_name: null,
      last_name: null,
      bio: null,
      phone: "123",
      username: user.username,
    });
  });

  it("treats an empty body as a no-op: 200 and updated_at unchanged", async () => {
    const { token } = await createUserWithToken(t);
    const before = (await (await t.request("/users/me", { token })).json()) as Detail;
    const response = await update(token, {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(before);
  });

  it("changes updated_at only when a column changes", async () => {
    const { user, token } = await createUserWithToken(t);
    const same = (await (await update(token, { username: user.username, bio: null })).json()) as Detail;
    expect(same.updated_at).toBe(user.updated_at.toISOString());
    // Timestamps have millisecond precision: make sure the change falls in a later one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const changed = (await (await update(token, { bio: "new" })).json()) as Detail;
    expect(Date.parse(changed.updated_at)).toBeGreaterThan(user.updated_at.getTime());
  });

  it("ignores email, is_active and is_superuser in the body", async () => {
    const { user, token } = await createUserWithToken(t);
    const response = await update(token, { email: "other@example.com", is_active: false, is_superuser: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email: user.email, is_active: true, is_superuser: false });
  });

  it("answers 409 'Username already taken' for another user's username; the caller's own is fine", async () => {
    const { token } = await createUserWithToken(t);
    const other = await createUserWithToken(t);
    await expectError(await update(token, { username: other.user.username }), 409, "Username already taken");
  });

  it.each([
    ["a javascript: avatar_url", { avatar_url: "javascript:alert(1)" }],
    ["an ftp avatar_url", { avatar_url: "ftp://example.com/a.png" }],
    ["a relative avatar_url", { avatar_url: "/a.png" }],
    ["an avatar_url over 500 characters", { avatar_url: `https://example.com/${"a".repeat(490)}` }],
    ["a bio over 5000 characters", { bio: "b".repeat(5001) }],
    ["a first_name over 100 characters", { first_name: "f".repeat(101) }],
    ["a phone over 20 characters", { phone: "1".repeat(21) }],
    ["a short username", { username: "ab" }],
    ["a short password", { password: "short" }],
    ["a non-string bio", { bio: 5 }],
  ])("answers 422 for %s and changes nothing", async (_case, body) => {
    const { token } = await createUserWithToken(t);
    const before = await (await t.request("/users/me", { token })).json();
    await expectError(await update(token, { first_name: "Changed", ...body }), 422, "Validation error");
    expect(await (await t.request("/users/me", { token })).json()).toEqual(before);
  });

  it("changes the password: the new one logs in, the old one no longer does, old refresh tokens are revoked", async () => {
    const { user, token } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    expect((await update(token, { password: "a brand new password" })).status).toBe(200);
    await login(t, user.email, "a brand new password");
    const old = await t.request("/auth/login", {
      method: "POST",
      json: { email: user.email, password: TEST_PASSWORD },
    });
    await expectError(old, 401, "Incorrect email or password");
    const refreshed = await t.request("/auth/refresh", { method: "POST", json: { refresh_token: pair.refresh_token } });
    await expectError(refreshed, 401, "Invalid refresh token");
    // Access tokens are stateless: they stay valid until they expire.
    expect((await t.request("/users/me", { token: pair.access_token })).status).toBe(200);
  });

  it("keeps refresh tokens issued after the password change", async () => {
    const { user, token } = await createUserWithToken(t);
    await update(token, { password: "a brand new password" });
    const pair = await login(t, user.email, "a brand new password");
    const refreshed = await t.request("/auth/refresh", { method: "POST", json: { refresh_token: pair.refresh_token } });
    expect(refreshed.status).toBe(200);
  });

  it("answers 401 and 403 before validating the body", async () => {
    await expectError(await t.request("/users/me", { method: "PUT", json: { bio: 5 } }), 401);
    const { token } = await createUserWithToken(t, { is_active: false });
    await expectError(await update(token, { bio: 5 }), 403, "Inactive user");
  });

  it("works over tRPC as users.updateMe", async () => {
    const { token } = await createUserWithToken(t);
    const user = await trpcClient(t, token).users.updateMe.mutate({ bio: " over tRPC " });
    expect(user.bio).toBe("over tRPC");
    await expectTrpcError(trpcClient(t, token).users.updateMe.mutate({ avatar_url: "data:x" }), "BAD_REQUEST");
  });
});

describe("DELETE /users/me", () => {
  it("answers 204 without a body; the token then answers 401 'User not found' and the email is free again", async () => {
    const { user, token } = await createUserWithToken(t);
    const response = await t.request("/users/me", { method: "DELETE", token });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectError(await t.request("/users/me", { token }), 401, "User not found");
    const again = await signUp(signUpBody({ email: user.email, username: user.username }));
    expect(again.status).toBe(201);
    expect(((await again.json()) as Detail).id).not.toBe(user.id);
  });

  it("deletes what hangs on the user through the cascade, and revokes their refresh tokens", async () => {
    const { user, token } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    await t.deps.db.insert(tables.companies).values({ name: "Owned", owner_id: user.id });
    expect((await t.request("/users/me", { method: "DELETE", token })).status).toBe(204);
    const owned = (await t.deps.db.select().from(tables.companies)).filter((company) => company.owner_id === user.id);
    expect(owned).toEqual([]);
    const refreshed = await t.request("/auth/refresh", { method: "POST", json: { refresh_token: pair.refresh_token } });
    expect(refreshed.status).toBe(401);
    expect(await t.deps.store.get(`refresh:nbf:${user.id}`)).not.toBeNull();
  });

  it("ignores a body, whatever its Content-Type", async () => {
    const { token } = await createUserWithToken(t);
    const response = await t.request("/users/me", {
      method: "DELETE",
      token,
      body: "whatever",
      headers: { "content-type": "text/plain" },
    });
    expect(response.status).toBe(204);
  });

  it("answers 401 without a token and 403 for an inactive caller", async () => {
    await expectError(await t.request("/users/me", { method: "DELETE" }), 401);
    const { token } = await createUserWithToken(t, { is_active: false });
    await expectError(await t.request("/users/me", { method: "DELETE", token }), 403, "Inactive user");
  });

  it("works over tRPC as users.deleteMe", async () => {
    const { token } = await createUserWithToken(t);
    expect(await trpcClient(t, token).users.deleteMe.mutate()).toBeUndefined();
    await expectTrpcError(trpcClient(t, token).users.me.query(), "UNAUTHORIZED", "User not found");
  });
});

describe("GET /users/{user_id}", () => {
  it("answers the UserDetail, with the phone hidden from other users", async () => {
    const target = await createUserWithToken(t);
    await t.request("/users/me", { method: "PUT", token: target.token, json: { phone: "555-0100", bio: "hi" } });
    const { token } = await createUserWithToken(t);
    const response = await t.request(`/users/${target.user.id}`, { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Detail;
    expect(Object.keys(body).sort()).toEqual(DETAIL_KEYS);
    expect(body).toMatchObject({ id: target.user.id, bio: "hi", phone: null });
  });

  it("shows the phone to the user themselves and to superusers", async () => {
    const target = await createUserWithToken(t);
    await t.request("/users/me", { method: "PUT", token: target.token, json: { phone: "555-0100" } });
    const admin = await createUserWithToken(t, { is_superuser: true });
    for (const token of [target.token, admin.token]) {
      expect(await (await t.request(`/users/${target.user.id}`, { token })).json()).toMatchObject({
        phone: "555-0100",
      });
    }
  });

  it("accepts an upper-case id", async () => {
    const target = await createUserWithToken(t);
    const response = await t.request(`/users/${target.user.id.toUpperCase()}`, { token: target.token });
    expect(await response.json()).toMatchObject({ id: target.user.id });
  });

  it("answers 404 'User not found' for an unknown or a malformed id", async () => {
    const { token } = await createUserWithToken(t);
    await expectError(await t.request(`/users/${randomUUID()}`, { token }), 404, "User not found");
    await expectError(await t.request("/users/not-a-uuid", { token }), 404, "User not found");
  });

  it("answers 401 without a token and 403 for an inactive caller", async () => {
    const target = await createUserWithToken(t);
    await expectError(await t.request(`/users/${target.user.id}`), 401);
    const { token } = await createUserWithToken(t, { is_active: false });
    await expectError(await t.request(`/users/${target.user.id}`, { token }), 403, "Inactive user");
  });

  it("works over tRPC as users.byId", async () => {
    const { user, token } = await createUserWithToken(t);
    expect(await trpcClient(t, token).users.byId.query({ user_id: user.id })).toMatchObject({ id: user.id });
    await expectTrpcError(trpcClient(t, token).users.byId.query({ user_id: randomUUID() }), "NOT_FOUND");
    await expectTrpcError(trpcClient(t, token).users.byId.query({ user_id: "nope" }), "NOT_FOUND", "User not found");
  });
});

describe("PUT /users/{user_id}", () => {
  const update = (id: string, token: string, json: unknown) =>
    t.request(`/users/${id}`, { method: "PUT", token, json });
  const FORBIDDEN = "Only administrators can manage other users";

  it("answers 403 to anyone but a superuser, the target included, before looking the target up", async () => {
    const caller = await createUserWithToken(t);
    const other = await createUserWithToken(t);
    for (const id of [other.user.id, caller.user.id, randomUUID(), "not-a-uuid"]) {
      await expectError(await update(id, caller.token, { username: "hijacked" }), 403, FORBIDDEN);
    }
    expect(await (await t.request("/users/me", { token: other.token })).json()).toMatchObject({
      username: other.user.username,
    });
  });

  it("validates the body (422) before the superuser check", async () => {
    const caller = await createUserWithToken(t);
    await expectError(await update(randomUUID(), caller.token, { email: "bad" }), 422, "Validation error");
  });

  it("answers 404 'User not found' to a superuser for an unknown or malformed id", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    await expectError(await update(randomUUID(), admin.token, { username: "whoever" }), 404, "User not found");
    await expectError(await update("not-a-uuid", admin.token, {}), 404, "User not found");
  });

  it("lets a superuser change email (normalised), username, password and is_active, but never is_superuser", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    const email = signUpBody().email;
    const response = await update(target.user.id, admin.token, {
      email: ` ${email.toUpperCase()} `,
      username: "renamed by admin",
      password: "set by the admin",
      is_superuser: true,
      first_name: "ignored here",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      email,
      username: "renamed by admin",
      is_superuser: false,
      first_name: null,
    });
    await login(t, email, "set by the admin");
  });

  it("answers 409 for a taken email or username", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    const other = await createUserWithToken(t);
    await expectError(
      await update(target.user.id, admin.token, { email: other.user.email.toUpperCase() }),
      409,
      "Email already registered",
    );
    await expectError(
      await update(target.user.id, admin.token, { username: other.user.username }),
      409,
      "Username already taken",
    );
  });

  it("deactivating a user stops their access tokens at once and revokes their refresh tokens", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    const pair = await login(t, target.user.email, TEST_PASSWORD);
    const response = await update(target.user.id, admin.token, { is_active: false });
    expect(await response.json()).toMatchObject({ is_active: false });
    await expectError(await t.request("/users/me", { token: target.token }), 403, "Inactive user");
    await update(target.user.id, admin.token, { is_active: true });
    const refreshed = await t.request("/auth/refresh", { method: "POST", json: { refresh_token: pair.refresh_token } });
    await expectError(refreshed, 401, "Invalid refresh token");
  });

  it("answers 422 for a non-boolean is_active", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    await expectError(await update(target.user.id, admin.token, { is_active: "no" }), 422);
    expect(await (await t.request("/users/me", { token: target.token })).json()).toMatchObject({ is_active: true });
  });

  it("works over tRPC as users.update", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    const user = await trpcClient(t, admin.token).users.update.mutate({ user_id: target.user.id, is_active: false });
    expect(user.is_active).toBe(false);
    await expectTrpcError(
      trpcClient(t, target.token).users.update.mutate({ user_id: admin.user.id }),
      "FORBIDDEN",
      "Inactive user",
    );
  });
});

describe("DELETE /users/{user_id}", () => {
  const remove = (id: string, token: string) => t.request(`/users/${id}`, { method: "DELETE", token });

  it("answers 403 to anyone but a superuser, before looking the target up", async () => {
    const caller = await createUserWithToken(t);
    const other = await createUserWithToken(t);
    for (const id of [other.user.id, randomUUID(), "not-a-uuid"]) {
      await expectError(await remove(id, caller.token), 403, "Only administrators can manage other users");
    }
    expect((await t.request("/users/me", { token: other.token })).status).toBe(200);
  });

  it("lets a superuser delete a user: 204, then 404 and the user's token 401", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    const response = await remove(target.user.id, admin.token);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectError(await t.request(`/users/${target.user.id}`, { token: admin.token }), 404, "User not found");
    await expectError(await t.request("/users/me", { token: target.token }), 401, "User not found");
    await expectError(await remove(target.user.id, admin.token), 404, "User not found");
  });

  it("answers 404 to a superuser for a malformed id, and 401 without a token", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    await expectError(await remove("not-a-uuid", admin.token), 404, "User not found");
    await expectError(await t.request(`/users/${randomUUID()}`, { method: "DELETE" }), 401);
  });

  it("works over tRPC as users.delete", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    expect(await trpcClient(t, admin.token).users.delete.mutate({ user_id: target.user.id })).toBeUndefined();
    await expectTrpcError(trpcClient(t, admin.token).users.delete.mutate({ user_id: target.user.id }), "NOT_FOUND");
  });
});
