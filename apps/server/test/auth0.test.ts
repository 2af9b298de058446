import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tables } from "@internship/api";
import { insertUser } from "@internship/api/testing";
import { TRPCClientError } from "@trpc/client";
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

const ISSUER = "https://tenant.example.auth0.com/";
const AUDIENCE = "https://api.example.com";
const KID = "key-1";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

let signing: KeyPair;
let stranger: KeyPair;
let jwks: Server;
let jwksFetches = 0;
let t: TestApp;

/** Serves a JWKS over http on 127.0.0.1, as Auth0 would over https, and counts the fetches. */
async function serveJwks(body: unknown): Promise<Server> {
  const server = createServer((_request, response) => {
    jwksFetches++;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
const auth0Env = (jwksUrl: string) => ({ AUTH0_ISSUER: ISSUER, AUTH0_API_AUDIENCE: AUDIENCE, AUTH0_JWKS_URL: jwksUrl });

beforeAll(async () => {
  signing = await generateKeyPair("RS256");
  stranger = await generateKeyPair("RS256");
  jwks = await serveJwks({ keys: [{ ...(await exportJWK(signing.publicKey)), kid: KID, alg: "RS256", use: "sig" }] });
  t = await createTestApp(auth0Env(urlOf(jwks)));
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => jwks.close(resolve));
});

type TokenOptions = {
  key?: KeyPair["privateKey"];
  kid?: string;
  alg?: string;
  issuer?: string;
  audience?: string | string[];
  expiresAt?: number;
};

/** An Auth0-like access token: RS256, our kid, issuer and audience, unless told otherwise. */
function auth0Token(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? KID, typ: "JWT" })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? "5m")
    .sign(options.key ?? signing.privateKey);
}

const unique = () => randomBytes(4).toString("hex");
const newEmail = () => `auth0-${unique()}@example.com`;
const authMe = (token: string) => t.request("/auth/me", { token });
const usersWithEmail = async (email: string) =>
  (await t.deps.db.select().from(tables.users)).filter((user) => user.email === email);

describe("Auth0 tokens: provisioning", () => {
  it("creates the user on first use from the email and nickname, then finds the same user", async () => {
    const email = newEmail();
    const nickname = `Nick_${unique()}`;
    const token = await auth0Token({ sub: "auth0|1", email, nickname: `  ${nickname} ` });
    const response = await authMe(token);
    expect(response.status).toBe(200);
    const user = await response.json();
    expect(user).toMatchObject({ email, username: nickname, is_active: true, is_superuser: false });
    expect(await (await authMe(token)).json()).toEqual(user);
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it("gives the new user a password nobody can log in with", async () => {
    const email = newEmail();
    expect((await authMe(await auth0Token({ email }))).status).toBe(200);
    const [row] = await usersWithEmail(email);
    expect(row?.hashed_password).toMatch(/^\$2[aby]\$04\$/);
    const login = await t.request("/auth/login", { method: "POST", json: { email, password: "anything at all" } });
    expect(login.status).toBe(401);
  });

  it("is the local account that has the email, whatever the claim's case", async () => {
    const { user } = await createUserWithToken(t);
    const response = await authMe(await auth0Token({ email: user.email.toUpperCase(), nickname: "ignored" }));
    expect(await response.json()).toMatchObject({ id: user.id, username: user.username });
  });

  it("falls back to the email's local part when the nickname is taken or invalid", async () => {
    const taken = await insertUser(t.deps.db, { username: `taken_${unique()}` });
    for (const nickname of [taken.username, "ab", "tab\there", undefined]) {
      const local = `local_${unique()}`;
      const response = await authMe(await auth0Token({ email: `${local}@example.com`, nickname }));
      expect(await response.json()).toMatchObject({ username: local });
    }
  });

  it("adds '_' and 4 random digits when the local part is taken or shorter than 3 characters", async () => {
    const local = `dup_${unique()}`;
    await insertUser(t.deps.db, { username: local });
    const taken = await (await authMe(await auth0Token({ email: `${local}@other.example.com` }))).json();
    expect(taken.username).toMatch(new RegExp(`^${local}_\\d{4}$`));
    const short = await (await authMe(await auth0Token({ email: `ab@${unique()}.example.com` }))).json();
    expect(short.username).toMatch(/^ab_\d{4}$/);
  });

  it("cuts a long local part so the username stays within 100 characters", async () => {
    const local = `${unique()}${"x".repeat(120)}`;
    await insertUser(t.deps.db, { username: local.slice(0, 100) });
    const user = await (await authMe(await auth0Token({ email: `${local}@example.com` }))).json();
    expect(user.username).toMatch(/^[0-9a-f]{8}x+_\d{4}$/);
    expect(user.username).toHaveLength(100);
  });

  it("ends racing first requests for one email with one user", async () => {
    const email = newEmail();
    const token = await auth0Token({ email, nickname: `racer_${unique()}` });
    const responses = await Promise.all(Array.from({ length: 10 }, () => authMe(token)));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    const ids = new Set(await Promise.all(responses.map(async (response) => (await response.json()).id)));
    expect(ids.size).toBe(1);
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it("answers 403 'Inactive user' for an inactive account", async () => {
    const { user } = await createUserWithToken(t, { is_active: false });
    await expectError(await authMe(await auth0Token({ email: user.email })), 403, "Inactive user");
  });

  it("is accepted on every protected route and over tRPC", async () => {
    const email = newEmail();
    const token = await auth0Token({ email });
    expect(await (await t.request("/users/me", { token })).json()).toMatchObject({ email });
    expect((await t.request("/users/", { token })).status).toBe(200);
    expect(await trpcClient(t, token).auth.me.query()).toMatchObject({ email });
    expect(await trpcClient(t, token).users.me.query()).toMatchObject({ email });
  });
});

describe("Auth0 tokens: claims", () => {
  it("accepts an absent or true email_verified, and refuses false with 401", async () => {
    expect((await authMe(await auth0Token({ email: newEmail(), email_verified: true }))).status).toBe(200);
    const { user } = await createUserWithToken(t);
    const unverified = await auth0Token({ email: user.email, email_verified: false });
    await expectError(await authMe(unverified), 401, "Could not validate credentials");
  });

  it.each([
    ["no email claim", {}],
    ["a non-string email", { email: 42 }],
    ["an email that is not an address", { email: "not an address" }],
  ])("answers 401 'Could not validate credentials' for %s and creates nobody", async (_case, claims) => {
    const before = await t.deps.db.$count(tables.users);
    await expectError(await authMe(await auth0Token(claims)), 401, "Could not validate credentials");
    expect(await t.deps.db.$count(tables.users)).toBe(before);
  });

  it("accepts an audience array that contains ours", async () => {
    const token = await auth0Token({ email: newEmail() }, { audience: ["https://other.example.com", AUDIENCE] });
    expect((await authMe(token)).status).toBe(200);
  });

  it("accepts a token expired for less than the 30 s leeway", async () => {
    const token = await auth0Token({ email: newEmail() }, { expiresAt: Math.floor(Date.now() / 1000) - 10 });
    expect((await authMe(token)).status).toBe(200);
  });

  it.each<[string, () => Promise<string>]>([
    ["a wrong audience", () => auth0Token({ email: newEmail() }, { audience: "https://other.example.com" })],
    ["a wrong issuer", () => auth0Token({ email: newEmail() }, { issuer: "https://evil.example.com/" })],
    ["an issuer without its trailing slash", () => auth0Token({ email: newEmail() }, { issuer: ISSUER.slice(0, -1) })],
    ["an unknown kid", () => auth0Token({ email: newEmail() }, { kid: "unknown-kid" })],
    ["a known kid signed by another key", () => auth0Token({ email: newEmail() }, { key: stranger.privateKey })],
    [
      "a token expired beyond the leeway",
      () => auth0Token({ email: newEmail() }, { expiresAt: Math.floor(Date.now() / 1000) - 60 }),
    ],
    [
      "an algorithm Auth0 is not configured for",
      async () => auth0Token({ email: newEmail() }, { alg: "RS384", key: (await generateKeyPair("RS384")).privateKey }),
    ],
    ["alg none", async () => new UnsecuredJWT({ email: newEmail() }).setIssuer(ISSUER).setAudience(AUDIENCE).encode()],
    [
      "HS256 signed with the RSA public key (key confusion)",
      async () =>
        new SignJWT({ email: newEmail() })
          .setProtectedHeader({ alg: "HS256", kid: KID })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode(await exportSPKI(signing.publicKey))),
    ],
  ])("answers 401 for %s", async (_case, make) => {
    await expectError(await authMe(await make()), 401, "Could not validate credentials");
  });
});

describe("Auth0 tokens: the key set", () => {
  it("is not fetched for our own tokens", async () => {
    const { token } = await createUserWithToken(t);
    const before = jwksFetches;
    expect((await authMe(token)).status).toBe(200);
    expect(jwksFetches).toBe(before);
  });

  it("is cached: known kids cost no fetch, unknown kids at most one per cooldown", async () => {
    expect((await authMe(await auth0Token({ email: newEmail() }))).status).toBe(200);
    const before = jwksFetches;
    for (let index = 0; index < 3; index++) {
      expect((await authMe(await auth0Token({ email: newEmail() }))).status).toBe(200);
      expect((await authMe(await auth0Token({ email: newEmail() }, { kid: `unknown-${index}` }))).status).toBe(401);
    }
    expect(jwksFetches - before).toBeLessThanOrEqual(1);
  });

  it("answers 503 'Authentication service unavailable' when it cannot be fetched and none is cached", async () => {
    const closed = await serveJwks({ keys: [] });
    const url = urlOf(closed);
    await new Promise((resolve) => closed.close(resolve));
    const offline = await createTestApp(auth0Env(url));
    try {
      const token = await auth0Token({ email: newEmail() });
      const response = await offline.request("/auth/me", { token });
      await expectError(response, 503, "Authentication service unavailable");
      const error = await trpcClient(offline, token)
        .users.me.query()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as { data: { code: string } }).data.code).toBe("SERVICE_UNAVAILABLE");
      // Our own tokens do not depend on Auth0.
      const { token: local } = await createUserWithToken(offline);
      expect((await offline.request("/auth/me", { token: local })).status).toBe(200);
    } finally {
      await offline.close();
    }
  });

  it("answers 503 when the key set answers something other than a key set", async () => {
    const broken = createServer((_request, response) => {
      response.writeHead(500).end("oops");
    });
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    const app = await createTestApp(auth0Env(urlOf(broken)));
    try {
      const response = await app.request("/auth/me", { token: await auth0Token({ email: newEmail() }) });
      await expectError(response, 503, "Authentication service unavailable");
    } finally {
      await app.close();
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});
