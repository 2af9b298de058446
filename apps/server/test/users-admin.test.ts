import { randomUUID } from "node:crypto";
import { TEST_PASSWORD } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectTrpcError } from "./expect.js";
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

describe("GET /users/{user_id}", () => {
  it("answers the UserDetail, with the phone hidden from other users", async () => {
    const target = await createUserWithToken(t);
    await t.request("/users/me", { method: "PUT", token: target.token, json: { phone: "555-0100", bio: "hi" } });
    const { token } = await createUserWithToken(t);
    const response = await t.request(`/users/${target.user.id}`, { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Detail;
    expect(Object.keys(body).sort()).toEqual(USER_DETAIL_KEYS);
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

  it("answers 404 to a superuser for a malformed id", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    await expectError(await remove("not-a-uuid", admin.token), 404, "User not found");
  });

  it("works over tRPC as users.delete", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const target = await createUserWithToken(t);
    expect(await trpcClient(t, admin.token).users.delete.mutate({ user_id: target.user.id })).toBeUndefined();
    await expectTrpcError(trpcClient(t, admin.token).users.delete.mutate({ user_id: target.user.id }), "NOT_FOUND");
  });
});
