import { randomUUID } from "node:crypto";
import { tables } from "@internship/api";
import { TEST_PASSWORD } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectTrpcError } from "./expect.js";
import { createTestApp, createUserWithToken, login, signUpBody, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Detail = Record<string, unknown> & { id: string; email: string; username: string; updated_at: string };

const signUp = (body: unknown) => t.request("/users/", { method: "POST", json: body });

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

  it("changes the password: the new one logs in, the old one no longer does, old refresh and access tokens stop", async () => {
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
    // Access tokens issued before the change stop too (docs/beyond-the-original.md#sessions).
    await expectError(await t.request("/users/me", { token: pair.access_token }), 401, "Token has been revoked");
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

  it("works over tRPC as users.deleteMe", async () => {
    const { token } = await createUserWithToken(t);
    expect(await trpcClient(t, token).users.deleteMe.mutate()).toBeUndefined();
    await expectTrpcError(trpcClient(t, token).users.me.query(), "UNAUTHORIZED", "User not found");
  });
});
