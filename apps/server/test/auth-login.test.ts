import { randomUUID } from "node:crypto";
import { TEST_PASSWORD } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("POST /auth/login", () => {
  it("answers 200 with a bearer pair whose access token works and whose refresh token refreshes", async () => {
    const { user } = await createUserWithToken(t);
    const response = await post(t, "/auth/login", { email: user.email, password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    const pair = await response.json();
    expect(Object.keys(pair).sort()).toEqual(["access_token", "refresh_token", "token_type"]);
    expect(pair.token_type).toBe("bearer");
    expect(await (await me(pair.access_token)).json()).toMatchObject({ id: user.id });
    expect((await refresh(pair.refresh_token)).status).toBe(200);
  });

  it("matches the email trimmed and case-insensitively", async () => {
    const { user } = await createUserWithToken(t);
    await login(t, `  ${user.email.toUpperCase()} `, TEST_PASSWORD);
  });

  it("answers the same 401 for a wrong password and an unknown email", async () => {
    const { user } = await createUserWithToken(t);
    const wrong = await post(t, "/auth/login", { email: user.email, password: "not the password" });
    const unknown = await post(t, "/auth/login", { email: `nobody-${randomUUID()}@example.com`, password: "whatever" });
    const a = await expectError(wrong, 401, "Incorrect email or password");
    const b = await expectError(unknown, 401, "Incorrect email or password");
    expect(a).toEqual(b);
  });

  it("answers 401 for a password over 72 bytes even when its first 72 bytes are the password", async () => {
    const password = "€".repeat(24);
    const { user } = await createUserWithToken(t);
    await t.request("/users/me", {
      method: "PUT",
      token: (await login(t, user.email, TEST_PASSWORD)).access_token,
      json: { password },
    });
    await login(t, user.email, password);
    await expectError(
      await post(t, "/auth/login", { email: user.email, password: `${password}x` }),
      401,
      "Incorrect email or password",
    );
  });

  it("answers 403 'Inactive user' only once the password is right", async () => {
    const { user } = await createUserWithToken(t, { is_active: false });
    await expectError(
      await post(t, "/auth/login", { email: user.email, password: "wrong password" }),
      401,
      "Incorrect email or password",
    );
    await expectError(
      await post(t, "/auth/login", { email: user.email, password: TEST_PASSWORD }),
      403,
      "Inactive user",
    );
  });

  it.each([
    ["a missing email", { password: "x" }],
    ["a malformed email", { email: "not-an-email", password: "x" }],
    ["a missing password", { email: "a@example.com" }],
    ["an empty password", { email: "a@example.com", password: "" }],
    ["a non-string password", { email: "a@example.com", password: 12345678 }],
  ])("answers 422 for %s", async (_case, body) => {
    await expectError(await post(t, "/auth/login", body), 422, "Validation error");
  });

  it("ignores a garbage Authorization header", async () => {
    const { user } = await createUserWithToken(t);
    const response = await post(
      t,
      "/auth/login",
      { email: user.email, password: TEST_PASSWORD },
      { headers: { authorization: "Bearer garbage" } },
    );
    expect(response.status).toBe(200);
  });

  it("works over tRPC as auth.login", async () => {
    const { user } = await createUserWithToken(t);
    const pair = await trpcClient(t).auth.login.mutate({ email: user.email, password: TEST_PASSWORD });
    expect(pair.token_type).toBe("bearer");
    expect(await trpcErrorOf(trpcClient(t).auth.login.mutate({ email: user.email, password: "nope" }))).toMatchObject({
      code: "UNAUTHORIZED",
      message: "Incorrect email or password",
    });
  });
});

describe("login throttling", () => {
  // A small window of our own: 3 failures per (email, address), 5 per address.
  let throttled: TestApp;
  beforeAll(async () => {
    throttled = await createTestApp({
      TRUST_PROXY: "true",
      LOGIN_MAX_FAILURES: "3",
      LOGIN_MAX_FAILURES_PER_ADDRESS: "5",
      LOGIN_WINDOW_SECONDS: "600",
    });
  });
  afterAll(() => throttled.close());

  const attempt = (email: string, password: string, address: string) =>
    post(throttled, "/auth/login", { email, password }, { headers: { "x-forwarded-for": `${address}, 10.0.0.1` } });
  const newUser = async () => (await createUserWithToken(throttled)).user;
  const fail = async (email: string, address: string, times: number) => {
    for (let index = 0; index < times; index++)
      expect((await attempt(email, "wrong password", address)).status).toBe(401);
  };

  it("answers 429 with Retry-After once (email, address) reaches the limit, for the right password too", async () => {
    const user = await newUser();
    await fail(user.email, "203.0.113.1", 3);
    for (const password of ["wrong password", TEST_PASSWORD]) {
      const response = await attempt(user.email, password, "203.0.113.1");
      await expectError(response, 429, "Too many failed login attempts");
      const retryAfter = Number(response.headers.get("retry-after"));
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 600).toBe(true);
    }
    // Another address is not concerned, nor is another email from the same address.
    expect((await attempt(user.email, TEST_PASSWORD, "203.0.113.2")).status).toBe(200);
    const other = await newUser();
    expect((await attempt(other.email, TEST_PASSWORD, "203.0.113.1")).status).toBe(200);
  });

  it("counts the email case-insensitively", async () => {
    const user = await newUser();
    await fail(user.email.toUpperCase(), "203.0.113.3", 3);
    await expectError(await attempt(user.email, TEST_PASSWORD, "203.0.113.3"), 429);
  });

  it("resets the (email, address) counter on a successful login", async () => {
    const user = await newUser();
    await fail(user.email, "203.0.113.4", 2);
    expect((await attempt(user.email, TEST_PASSWORD, "203.0.113.4")).status).toBe(200);
    await fail(user.email, "203.0.113.4", 3);
    await expectError(await attempt(user.email, TEST_PASSWORD, "203.0.113.4"), 429);
  });

  it("answers 429 once an address reaches its own limit, across emails", async () => {
    const emails = await Promise.all([newUser(), newUser(), newUser()]);
    await fail(emails[0]?.email ?? "", "203.0.113.5", 2);
    await fail(emails[1]?.email ?? "", "203.0.113.5", 2);
    await fail(`unknown-${randomUUID()}@example.com`, "203.0.113.5", 1);
    await expectError(await attempt(emails[2]?.email ?? "", TEST_PASSWORD, "203.0.113.5"), 429);
    expect((await attempt(emails[2]?.email ?? "", TEST_PASSWORD, "203.0.113.6")).status).toBe(200);
  });

  it("does not count validation errors", async () => {
    const user = await newUser();
    for (let index = 0; index < 6; index++) {
      await expectError(await attempt(user.email, "", "203.0.113.7"), 422);
    }
    expect((await attempt(user.email, TEST_PASSWORD, "203.0.113.7")).status).toBe(200);
  });

  it("lets at most the limit of parallel guesses through to the password check", async () => {
    const user = await newUser();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => attempt(user.email, "wrong password", "203.0.113.8")),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  });

  it("answers 429 with Retry-After over tRPC too", async () => {
    const user = await newUser();
    await fail(user.email, "unknown", 3);
    const response = await throttled.request("/trpc/auth.login", {
      method: "POST",
      json: { email: user.email, password: TEST_PASSWORD },
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await trpcErrorOf(trpcClient(throttled).auth.login.mutate({ email: user.email, password: "x" }))).toEqual({
      code: "TOO_MANY_REQUESTS",
      httpStatus: 429,
      message: "Too many failed login attempts",
    });
  });
});
