import { setTokensValidAfter, TEST_PASSWORD } from "@internship/api/testing";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectJson, expectNoContent, expectTrpcError, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, login, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type SessionBody = {
  sessions: {
    id: string;
    created_at: string;
    last_used_at: string;
    user_agent: string | null;
    ip: string | null;
    current: boolean;
  }[];
};

const refresh = (refreshToken: string) =>
  t.request("/auth/refresh", { method: "POST", json: { refresh_token: refreshToken } });
const me = (token: string) => t.request("/users/me", { token });
const sessions = async (token: string, refreshToken?: string) =>
  expectJson<SessionBody>(
    await t.request("/auth/sessions", {
      token,
      ...(refreshToken !== undefined && { headers: { "x-refresh-token": refreshToken } }),
    }),
    200,
  );
const logoutAll = (token: string) => t.request("/auth/logout-all", { method: "POST", token });

/** A user logged in twice, from two browsers: the second login is the newer session. */
async function twoSessions() {
  const { user, token } = await createUserWithToken(t);
  const first = await login(t, user.email, TEST_PASSWORD, { "user-agent": "Browser One" });
  await new Promise((resolve) => setTimeout(resolve, 5));
  const second = await login(t, user.email, TEST_PASSWORD, { "user-agent": "Browser Two" });
  return { user, token, first, second };
}

/** An access token of ours with chosen issue times (`iat` in seconds, `iat_ms` in milliseconds, or none). */
const accessToken = (sub: string, iat: number, iatMs?: number) =>
  new SignJWT({ type: "access", ...(iatMs !== undefined && { iat_ms: iatMs }) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(t.deps.config.jwt.accessSecret));

describe("GET /auth/sessions", () => {
  it("lists one session per login, newest first, with its user agent and address; current follows X-Refresh-Token", async () => {
    const { token, first, second } = await twoSessions();
    const body = await sessions(token, first.refresh_token);
    expect(body.sessions).toHaveLength(2);
    const [newer, older] = body.sessions;
    expect(newer).toMatchObject({ user_agent: "Browser Two", current: false, ip: expect.any(String) });
    expect(older).toMatchObject({ user_agent: "Browser One", current: true });
    for (const session of body.sessions) {
      expect(Object.keys(session).sort()).toEqual(["created_at", "current", "id", "ip", "last_used_at", "user_agent"]);
      expect(session.created_at).toMatch(ISO_UTC);
    }
    expect((await sessions(token, second.refresh_token)).sessions.map((s) => s.current)).toEqual([true, false]);
    expect((await sessions(token)).sessions.map((s) => s.current)).toEqual([false, false]);
    // Another user's refresh token marks nothing.
    const other = await createUserWithToken(t);
    const foreign = await login(t, other.user.email, TEST_PASSWORD);
    expect((await sessions(token, foreign.refresh_token)).sessions.map((s) => s.current)).toEqual([false, false]);
  });

  it("keeps a session's id across refreshes and moves its last_used_at", async () => {
    const { user, token } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    const [before] = (await sessions(token)).sessions;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const next = await expectJson<{ refresh_token: string }>(await refresh(pair.refresh_token), 200);
    const after = await sessions(token, next.refresh_token);
    expect(after.sessions).toEqual([{ ...before, last_used_at: expect.any(String), current: true }]);
    expect((after.sessions[0]?.last_used_at ?? "") > (before?.last_used_at ?? "")).toBe(true);
  });

  it("cuts a long user agent to 255 characters and leaves a missing one null", async () => {
    const { user, token } = await createUserWithToken(t);
    await login(t, user.email, TEST_PASSWORD, { "user-agent": "x".repeat(400) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await trpcClient(t).auth.login.mutate({ email: user.email, password: TEST_PASSWORD });
    const body = await sessions(token);
    expect(body.sessions.map((s) => s.user_agent?.length ?? null)).toEqual([null, 255]);
  });

  it("forgets a session when its family is revoked by logout or by reuse of a spent token", async () => {
    const { token, first, second } = await twoSessions();
    await expectNoContent(
      await t.request("/auth/logout", { method: "POST", token, json: { refresh_token: first.refresh_token } }),
    );
    const next = await expectJson<{ refresh_token: string }>(await refresh(second.refresh_token), 200);
    expect((await sessions(token)).sessions).toHaveLength(1);
    await expectError(await refresh(second.refresh_token), 401, "Invalid refresh token");
    expect((await sessions(token)).sessions).toEqual([]);
    await expectError(await refresh(next.refresh_token), 401);
  });

  it("is served over tRPC too", async () => {
    const { token, second } = await twoSessions();
    const body = await trpcClient(t, token).auth.sessions.list.query();
    expect(body.sessions.map((s) => s.user_agent)).toEqual(["Browser Two", "Browser One"]);
    expect(second.refresh_token).toEqual(expect.any(String));
  });
});

describe("DELETE /auth/sessions/{session_id}", () => {
  it("ends that session only: its refresh token stops, the other keeps working", async () => {
    const { token, first, second } = await twoSessions();
    const [newer, older] = (await sessions(token)).sessions;
    await expectNoContent(await t.request(`/auth/sessions/${older?.id}`, { method: "DELETE", token }));
    await expectError(await refresh(first.refresh_token), 401, "Invalid refresh token");
    expect((await sessions(token)).sessions.map((s) => s.id)).toEqual([newer?.id]);
    expect((await refresh(second.refresh_token)).status).toBe(200);
  });

  it("answers 404 for another user's session, an unknown one and a malformed id, and changes nothing", async () => {
    const { token, first } = await twoSessions();
    const other = await createUserWithToken(t);
    await login(t, other.user.email, TEST_PASSWORD);
    const [foreign] = (await sessions(other.token)).sessions;
    for (const id of [foreign?.id, UNKNOWN_ID, "not-a-uuid"]) {
      await expectError(await t.request(`/auth/sessions/${id}`, { method: "DELETE", token }), 404, "Session not found");
    }
    expect((await sessions(other.token)).sessions).toHaveLength(1);
    expect((await refresh(first.refresh_token)).status).toBe(200);
  });

  it("is served over tRPC, with the same 404", async () => {
    const { token, first } = await twoSessions();
    const client = trpcClient(t, token);
    const [, older] = (await client.auth.sessions.list.query()).sessions;
    await client.auth.sessions.revoke.mutate({ session_id: older?.id ?? "" });
    await expectError(await refresh(first.refresh_token), 401);
    await expectTrpcError(
      client.auth.sessions.revoke.mutate({ session_id: UNKNOWN_ID }),
      "NOT_FOUND",
      "Session not found",
    );
  });
});

describe("POST /auth/logout-all", () => {
  it("ends every session and stops access tokens already issued, while a token issued after it works", async () => {
    const { user, token, first, second } = await twoSessions();
    expect((await me(first.access_token)).status).toBe(200);
    await expectNoContent(await logoutAll(token));
    for (const stale of [token, first.access_token, second.access_token]) {
      await expectError(await me(stale), 401, "Token has been revoked");
    }
    for (const stale of [first.refresh_token, second.refresh_token]) {
      await expectError(await refresh(stale), 401, "Invalid refresh token");
    }
    const fresh = await login(t, user.email, TEST_PASSWORD);
    expect((await me(fresh.access_token)).status).toBe(200);
    expect((await sessions(fresh.access_token)).sessions).toHaveLength(1);
    const renewed = await expectJson<{ access_token: string }>(await refresh(fresh.refresh_token), 200);
    expect((await me(renewed.access_token)).status).toBe(200);
  });

  it("compares in milliseconds: a token of the same second is valid if issued after, revoked if before", async () => {
    const { user } = await createUserWithToken(t);
    const validAfter = Math.floor(Date.now() / 1000) * 1000 + 500;
    await setTokensValidAfter(t.deps.db, user.id, new Date(validAfter));
    const second = validAfter / 1000 - 0.5;
    await expectError(await me(await accessToken(user.id, second, validAfter - 1)), 401, "Token has been revoked");
    expect((await me(await accessToken(user.id, second, validAfter))).status).toBe(200);
    expect((await me(await accessToken(user.id, second, validAfter + 1))).status).toBe(200);
    // A token without iat_ms counts from the start of its second: before the instant.
    await expectError(await me(await accessToken(user.id, second)), 401, "Token has been revoked");
    expect((await me(await accessToken(user.id, second + 1))).status).toBe(200);
  });

  it("is served over tRPC; the stale token is then refused there too", async () => {
    const { user, token } = await createUserWithToken(t);
    const client = trpcClient(t, token);
    expect(await client.auth.logoutAll.mutate()).toBeUndefined();
    await expectTrpcError(client.users.me.query(), "UNAUTHORIZED", "Token has been revoked");
    const fresh = await login(t, user.email, TEST_PASSWORD);
    expect((await trpcClient(t, fresh.access_token).users.me.query()).id).toBe(user.id);
  });
});

describe("changes that stop issued access tokens", () => {
  it("a password change: the old access token is 401, a new login works", async () => {
    const { user, token } = await createUserWithToken(t);
    const password = "another long password";
    expect((await t.request("/users/me", { method: "PUT", token, json: { password } })).status).toBe(200);
    await expectError(await me(token), 401, "Token has been revoked");
    expect((await me((await login(t, user.email, password)).access_token)).status).toBe(200);
  });

  it("a deactivation: 403 while inactive, and after reactivation the old token stays dead", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const { user, token } = await createUserWithToken(t);
    const setActive = (is_active: boolean) =>
      t.request(`/users/${user.id}`, { method: "PUT", token: admin.token, json: { is_active } });
    expect((await setActive(false)).status).toBe(200);
    await expectError(await me(token), 403, "Inactive user");
    expect((await setActive(true)).status).toBe(200);
    await expectError(await me(token), 401, "Token has been revoked");
    expect((await me((await login(t, user.email, TEST_PASSWORD)).access_token)).status).toBe(200);
  });
});
