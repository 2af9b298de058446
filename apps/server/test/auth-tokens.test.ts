import { generateKeyPairSync, randomUUID } from "node:crypto";
import { TEST_PASSWORD } from "@internship/api/testing";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expectError, trpcErrorOf } from "./expect.js";
import { createTestApp, createUserWithToken, login, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (
  app: TestApp,
  path: string,
  json: unknown,
  init: { token?: string; headers?: Record<string, string> } = {},
) => app.request(path, { method: "POST", json, ...init });
const refresh = (refreshToken: string) => post(t, "/auth/refresh", { refresh_token: refreshToken });
const me = (token: string) => t.request("/users/me", { token });

const encoder = new TextEncoder();
const accessKey = () => encoder.encode(t.deps.config.jwt.accessSecret);
const refreshKey = () => encoder.encode(t.deps.config.jwt.refreshSecret);
const secondsAgo = (seconds: number) => Math.floor(Date.now() / 1000) - seconds;

/** A token of our shape signed with `key`, with any claim or header overridden. */
function forge(claims: Record<string, unknown>, key: Uint8Array, header: Record<string, unknown> = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT", ...header })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(key);
}

describe("POST /auth/refresh", () => {
  it("rotates: a new pair, and the presented refresh token is spent", async () => {
    const { user } = await createUserWithToken(t);
    const first = await login(t, user.email, TEST_PASSWORD);
    const response = await refresh(first.refresh_token);
    expect(response.status).toBe(200);
    const second = await response.json();
    expect(second.token_type).toBe("bearer");
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await me(second.access_token)).status).toBe(200);
    const third = await refresh(second.refresh_token);
    expect(third.status).toBe(200);
  });

  it("revokes the whole family when a spent token comes back, and logs the reuse", async () => {
    const warn = vi.spyOn(t.deps.logger, "warn");
    const { user } = await createUserWithToken(t);
    const first = await login(t, user.email, TEST_PASSWORD);
    const second = await (await refresh(first.refresh_token)).json();
    await expectError(await refresh(first.refresh_token), 401, "Invalid refresh token");
    await expectError(await refresh(second.refresh_token), 401, "Invalid refresh token");
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ userId: user.id }), expect.stringMatching(/reuse/));
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).not.toContain(first.refresh_token);
    warn.mockRestore();
    // Another family of the same user is not concerned.
    const other = await login(t, user.email, TEST_PASSWORD);
    expect((await refresh(other.refresh_token)).status).toBe(200);
  });

  it("lets exactly one of several simultaneous refreshes with one token win", async () => {
    const { user } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    const responses = await Promise.all(Array.from({ length: 5 }, () => refresh(pair.refresh_token)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 401)).toHaveLength(4);
  });

  it("answers 401 for an access token, a forged, an expired or a malformed refresh token", async () => {
    const { user } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    const family = randomUUID();
    const claims = { type: "refresh", sub: user.id, jti: randomUUID(), fam: family };
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(secondsAgo(120))
      .setExpirationTime(secondsAgo(60))
      .sign(refreshKey());
    for (const token of [
      pair.access_token,
      await forge(claims, accessKey()),
      await forge(claims, encoder.encode("some other secret of enough length")),
      await forge(claims, refreshKey()),
      expired,
      "not.a.jwt",
      "",
    ]) {
      await expectError(await refresh(token), 401, "Invalid refresh token");
    }
  });

  it("ignores a garbage Authorization header", async () => {
    const { user } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    const response = await post(
      t,
      "/auth/refresh",
      { refresh_token: pair.refresh_token },
      { headers: { authorization: "Bearer garbage" } },
    );
    expect(response.status).toBe(200);
  });

  it("answers 422 without a refresh_token", async () => {
    await expectError(await post(t, "/auth/refresh", {}), 422, "Validation error");
  });

  it("answers 401 'User not found' for a deleted user and 403 for a deactivated one", async () => {
    const gone = await createUserWithToken(t);
    const gonePair = await login(t, gone.user.email, TEST_PASSWORD);
    expect((await t.request("/users/me", { method: "DELETE", token: gone.token })).status).toBe(204);
    await expectError(await refresh(gonePair.refresh_token), 401, "User not found");
    const admin = await createUserWithToken(t, { is_superuser: true });
    const inactive = await createUserWithToken(t);
    const inactivePair = await login(t, inactive.user.email, TEST_PASSWORD);
    const deactivate = { method: "PUT", token: admin.token, json: { is_active: false } };
    expect((await t.request(`/users/${inactive.user.id}`, deactivate)).status).toBe(200);
    await expectError(await refresh(inactivePair.refresh_token), 403, "Inactive user");
  });

  it("works over tRPC as auth.refresh", async () => {
    const { user } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    const next = await trpcClient(t).auth.refresh.mutate({ refresh_token: pair.refresh_token });
    expect(next.token_type).toBe("bearer");
    expect(await trpcErrorOf(trpcClient(t).auth.refresh.mutate({ refresh_token: pair.refresh_token }))).toMatchObject({
      code: "UNAUTHORIZED",
      message: "Invalid refresh token",
    });
  });
});

describe("POST /auth/logout", () => {
  const logout = (token: string, json?: unknown) =>
    t.request("/auth/logout", { method: "POST", token, ...(json !== undefined && { json }) });

  it("with a refresh token, revokes that token's family only", async () => {
    const { user, token } = await createUserWithToken(t);
    const phone = await login(t, user.email, TEST_PASSWORD);
    const laptop = await login(t, user.email, TEST_PASSWORD);
    const response = await logout(token, { refresh_token: phone.refresh_token });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectError(await refresh(phone.refresh_token), 401, "Invalid refresh token");
    expect((await refresh(laptop.refresh_token)).status).toBe(200);
    // Access tokens are stateless and keep working until they expire.
    expect((await me(phone.access_token)).status).toBe(200);
  });

  it("without a body (or without a token in it), revokes every refresh token of the caller", async () => {
    for (const body of [undefined, {}]) {
      const { user, token } = await createUserWithToken(t);
      const phone = await login(t, user.email, TEST_PASSWORD);
      const laptop = await login(t, user.email, TEST_PASSWORD);
      expect((await logout(token, body)).status).toBe(204);
      await expectError(await refresh(phone.refresh_token), 401);
      await expectError(await refresh(laptop.refresh_token), 401);
      expect((await refresh((await login(t, user.email, TEST_PASSWORD)).refresh_token)).status).toBe(200);
    }
  });

  it("answers 204 for an invalid, foreign or already revoked token, and revokes nothing of anyone else", async () => {
    const { user, token } = await createUserWithToken(t);
    const other = await createUserWithToken(t);
    const own = await login(t, user.email, TEST_PASSWORD);
    const foreign = await login(t, other.user.email, TEST_PASSWORD);
    for (const refreshToken of ["garbage", foreign.refresh_token, own.access_token]) {
      expect((await logout(token, { refresh_token: refreshToken })).status).toBe(204);
    }
    expect((await logout(token, { refresh_token: own.refresh_token })).status).toBe(204);
    expect((await logout(token, { refresh_token: own.refresh_token })).status).toBe(204);
    expect((await refresh(foreign.refresh_token)).status).toBe(200);
  });

  it("works over tRPC as auth.logout, with or without input", async () => {
    const { user, token } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    expect(await trpcClient(t, token).auth.logout.mutate({ refresh_token: pair.refresh_token })).toBeUndefined();
    await expectError(await refresh(pair.refresh_token), 401);
    expect(await trpcClient(t, token).auth.logout.mutate()).toBeUndefined();
  });
});

describe("GET /auth/me", () => {
  it("answers the same body as GET /users/me", async () => {
    const { token } = await createUserWithToken(t);
    const response = await t.request("/auth/me", { token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(await (await me(token)).json());
  });

  it("works over tRPC as auth.me", async () => {
    const { user, token } = await createUserWithToken(t);
    expect(await trpcClient(t, token).auth.me.query()).toMatchObject({ id: user.id, email: user.email });
    expect(await trpcErrorOf(trpcClient(t).auth.me.query())).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
  });
});

describe("access tokens", () => {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();

  it.each([
    ["alg none", async (sub: string) => new UnsecuredJWT({ type: "access", sub }).setExpirationTime("10m").encode()],
    [
      "HS256 signed with an RSA public key (key confusion)",
      (sub: string) => forge({ type: "access", sub }, encoder.encode(publicPem)),
    ],
    ["HS384 with our key", (sub: string) => forge({ type: "access", sub }, accessKey(), { alg: "HS384" })],
    ["another secret", (sub: string) => forge({ type: "access", sub }, encoder.encode("not our secret at all, long"))],
    [
      "a refresh token",
      async (sub: string) => await forge({ type: "refresh", sub, jti: randomUUID(), fam: randomUUID() }, refreshKey()),
    ],
    ["no type claim", (sub: string) => forge({ sub }, accessKey())],
    ["a sub that is not a UUID", () => forge({ type: "access", sub: "admin@example.com" }, accessKey())],
    [
      "an expired token",
      (sub: string) =>
        new SignJWT({ type: "access", sub })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuedAt(secondsAgo(120))
          .setExpirationTime(secondsAgo(1))
          .sign(accessKey()),
    ],
  ])("refuses %s with 401 and WWW-Authenticate", async (_case, make) => {
    const { user } = await createUserWithToken(t);
    await expectError(await me(await make(user.id)), 401, "Could not validate credentials");
  });

  it("refuses a real refresh token used as a bearer token", async () => {
    const { user } = await createUserWithToken(t);
    const pair = await login(t, user.email, TEST_PASSWORD);
    await expectError(await me(pair.refresh_token), 401, "Could not validate credentials");
  });

  it("refuses the token of a deleted user with 401 'User not found'", async () => {
    const admin = await createUserWithToken(t, { is_superuser: true });
    const { user, token } = await createUserWithToken(t);
    expect((await t.request(`/users/${user.id}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    await expectError(await me(token), 401, "User not found");
  });

  it("refuses an RS256 token with 401 when Auth0 is off", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { user } = await createUserWithToken(t);
    const token = await new SignJWT({ email: user.email })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    await expectError(await me(token), 401, "Could not validate credentials");
  });
});
