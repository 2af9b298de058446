import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, isApiError, login, logout, type SessionOptions, type TokenPair } from "../src/index.js";
import { expiredAccessToken, type LiveServer, recordingFetch, signUpBody, startLiveServer } from "./live-server.js";

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(() => server.close());

const REFRESH_PATH = "/trpc/auth.refresh";

/** A new user signed up through the SDK, with the pair of a first login. */
async function account(): Promise<{ id: string; email: string; password: string; tokens: TokenPair }> {
  const anonymous = createClient({ url: server.url });
  const body = signUpBody();
  const { id } = await anonymous.users.create.mutate(body);
  const tokens = await anonymous.auth.login.mutate({ email: body.email, password: body.password });
  return { id, email: body.email, password: body.password, tokens };
}

/** Session callbacks, and what they were told. */
function reports(): { seen: { pairs: TokenPair[]; logouts: number }; callbacks: SessionOptions } {
  const seen = { pairs: [] as TokenPair[], logouts: 0 };
  const callbacks: SessionOptions = {
    onTokens: (tokens) => {
      seen.pairs.push(tokens);
    },
    onLogout: () => {
      seen.logouts += 1;
    },
  };
  return { seen, callbacks };
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => expect.fail(`expected an error, got ${JSON.stringify(value)}`),
    (reason: unknown) => reason,
  );
}

const statusOf = (error: unknown) => (isApiError(error) ? error.data?.httpStatus : error);

describe("createClient({ session })", () => {
  it("logs in, reports the pair and calls as the user", async () => {
    const { id, email, password } = await account();
    const { seen, callbacks } = reports();
    const client = createClient({ url: server.url, session: callbacks });

    const tokens = await login(client, { email, password });
    expect(seen.pairs).toEqual([tokens]);
    expect((await client.users.me.query()).id).toBe(id);
  });

  it("refreshes once for calls that fail together, retries them and reports the new pair", async () => {
    const user = await account();
    const { seen, callbacks } = reports();
    const recorder = recordingFetch();
    const expired = { ...user.tokens, access_token: expiredAccessToken(server, user.id) };
    const client = createClient({ url: server.url, fetch: recorder.fetch, session: { tokens: expired, ...callbacks } });

    // Two batches (queries, mutations), four calls; the public list succeeds even with the expired token.
    const [me, authMe, companies, company] = await Promise.all([
      client.users.me.query(),
      client.auth.me.query(),
      client.companies.list.query({}),
      client.companies.create.mutate({ name: "Renewed Ltd" }),
    ]);
    expect([me.id, authMe.id, company.owner_id]).toEqual([user.id, user.id, user.id]);
    expect(companies.total).toBeGreaterThanOrEqual(0);

    expect(recorder.paths.filter((path) => path === REFRESH_PATH)).toHaveLength(1);
    expect(seen.pairs).toHaveLength(1);
    expect(seen.pairs[0]?.refresh_token).not.toBe(user.tokens.refresh_token);
    expect(seen.logouts).toBe(0);

    await client.users.me.query();
    expect(recorder.paths.filter((path) => path === REFRESH_PATH)).toHaveLength(1);
  });

  it("reports the logout when its refresh token was already spent, and the server revokes the whole family", async () => {
    const user = await account();
    const anonymous = createClient({ url: server.url });
    const rotated = await anonymous.auth.refresh.mutate({ refresh_token: user.tokens.refresh_token });

    const { seen, callbacks } = reports();
    const recorder = recordingFetch();
    const stale = { ...user.tokens, access_token: expiredAccessToken(server, user.id) };
    const client = createClient({ url: server.url, fetch: recorder.fetch, session: { tokens: stale, ...callbacks } });

    const failures = await Promise.all([
      rejection(client.users.me.query()),
      rejection(client.auth.me.query()),
      rejection(client.companies.create.mutate({ name: "Never Ltd" })),
    ]);
    expect(failures.map(statusOf)).toEqual([401, 401, 401]);
    expect(recorder.paths.filter((path) => path === REFRESH_PATH)).toHaveLength(1);
    expect(seen.logouts).toBe(1);
    expect(seen.pairs).toEqual([]);

    // The reuse revoked the family: the pair the other refresh produced is dead too.
    expect(statusOf(await rejection(anonymous.auth.refresh.mutate({ refresh_token: rotated.refresh_token })))).toBe(
      401,
    );
    // Logged out: a call goes without a token and no second refresh is tried.
    expect(statusOf(await rejection(client.users.me.query()))).toBe(401);
    expect(recorder.paths.filter((path) => path === REFRESH_PATH)).toHaveLength(1);
  });

  it("logout revokes the refresh token on the server and reports the logout", async () => {
    const { email, password } = await account();
    const { seen, callbacks } = reports();
    const client = createClient({ url: server.url, session: callbacks });
    const tokens = await login(client, { email, password });

    await logout(client);
    expect(seen.logouts).toBe(1);
    const anonymous = createClient({ url: server.url });
    expect(statusOf(await rejection(anonymous.auth.refresh.mutate({ refresh_token: tokens.refresh_token })))).toBe(401);
    expect(statusOf(await rejection(client.users.me.query()))).toBe(401);

    await logout(client);
    expect(seen.logouts).toBe(1);
  });

  it("takes a 401 from login as wrong credentials, without a refresh", async () => {
    const user = await account();
    const recorder = recordingFetch();
    const client = createClient({ url: server.url, fetch: recorder.fetch, session: { tokens: user.tokens } });

    const error = await rejection(login(client, { email: user.email, password: "not the password" }));
    expect(isApiError(error) && [error.data?.httpStatus, error.message]).toEqual([401, "Incorrect email or password"]);
    expect(recorder.paths).not.toContain(REFRESH_PATH);
  });

  it("keeps the session when the refresh cannot reach the server", async () => {
    const user = await account();
    const { seen, callbacks } = reports();
    let offline = true;
    const client = createClient({
      url: server.url,
      session: { tokens: { ...user.tokens, access_token: expiredAccessToken(server, user.id) }, ...callbacks },
      fetch: (input, init) => {
        const isRefresh = new URL(input instanceof Request ? input.url : String(input)).pathname === REFRESH_PATH;
        return offline && isRefresh ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init);
      },
    });

    const error = await rejection(client.users.me.query());
    expect(isApiError(error) && error.data).toBeUndefined();
    expect(seen.logouts).toBe(0);

    offline = false;
    expect((await client.users.me.query()).id).toBe(user.id);
    expect(seen.pairs).toHaveLength(1);
  });

  it("login and logout need a client created with a session", async () => {
    const plain = createClient({ url: server.url });
    // @ts-expect-error a client without a session is refused by the types too
    await expect(logout(plain)).rejects.toThrow(TypeError);
  });
});
