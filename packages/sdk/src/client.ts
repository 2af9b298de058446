import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "./app-router.js";
import { isApiError } from "./errors.js";
import { type HeadersSource, requestHeaders, type TokenSource } from "./headers.js";
import { Session, type SessionOptions, sessionLink } from "./session.js";
import type { RouterInputs, TokenPair } from "./types.js";

type ClientBaseOptions = {
  /** The server's base URL, e.g. `https://api.example.com`; tRPC answers under `/trpc`. */
  url: string;
  /** A `fetch` to use instead of the global one (tests, server-side rendering, instrumentation). */
  fetch?: typeof globalThis.fetch;
  headers?: HeadersSource;
};

export type ClientOptions = ClientBaseOptions & { token?: TokenSource; session?: never };
export type SessionClientOptions = ClientBaseOptions & { session: SessionOptions; token?: never };

/** The typed tRPC client: `client.users.me.query()`, `client.companies.create.mutate({ name })`… */
export type Client = TRPCClient<AppRouter>;

declare const sessionBrand: unique symbol;
/** A client that holds a session: `login` and `logout` take it. */
export type SessionClient = Client & { readonly [sessionBrand]: true };

const sessions = new WeakMap<object, Session>();

// Browsers and proxies cut longer URLs; batched GET calls past this length go in another request.
const MAX_URL_LENGTH = 2083;

/**
 * A client of the whole router over HTTP, batching calls made together into one request.
 * With `token`, every request carries it. With `session`, the client signs in with `login`, refreshes the access token
 * on a 401 (once, whatever the number of calls that failed together), retries the call and reports the new pair
 * through `onTokens`; a refused refresh ends the session (`onLogout`).
 */
export function createClient(options: SessionClientOptions): SessionClient;
export function createClient(options: ClientOptions): Client;
export function createClient(options: ClientOptions | SessionClientOptions): Client;
export function createClient(options: ClientOptions | SessionClientOptions): Client {
  const url = `${options.url.replace(/\/+$/, "")}/trpc`;
  const base = { url, ...(options.fetch && { fetch: options.fetch }) };
  const batched = (token: TokenSource | undefined) =>
    httpBatchLink({ ...base, maxURLLength: MAX_URL_LENGTH, headers: () => requestHeaders(options.headers, token) });
  if (!options.session) return createTRPCClient<AppRouter>({ links: [batched(options.token)] });

  // The refresh call goes around the session link: its own 401 must not start another refresh.
  const refresher = createTRPCClient<AppRouter>({
    links: [httpLink({ ...base, headers: () => requestHeaders(options.headers, undefined) })],
  });
  const session = new Session(options.session, (refresh_token) => refresher.auth.refresh.mutate({ refresh_token }));
  const client = createTRPCClient<AppRouter>({ links: [sessionLink(session), batched(() => session.accessToken)] });
  sessions.set(client, session);
  return client;
}

/** Logs in and starts the client's session with the new pair (reported through `onTokens`). */
export async function login(client: SessionClient, credentials: RouterInputs["auth"]["login"]): Promise<TokenPair> {
  const session = sessionOf(client);
  const tokens = await client.auth.login.mutate(credentials);
  session.start(tokens);
  return tokens;
}

/**
 * Revokes the session's refresh token family on the server and ends the session (reported through `onLogout`). The
 * session ends even when the server cannot be told; that error is then thrown.
 */
export async function logout(client: SessionClient): Promise<void> {
  const session = sessionOf(client);
  const refreshToken = session.refreshToken;
  if (refreshToken === undefined) return;
  try {
    await client.auth.logout.mutate({ refresh_token: refreshToken });
  } catch (error) {
    // A 401 even after a refresh attempt: the server already holds no live session for these tokens.
    if (!isApiError(error) || error.data?.code !== "UNAUTHORIZED") throw error;
  } finally {
    session.end();
  }
}

function sessionOf(client: SessionClient): Session {
  const session = sessions.get(client);
  if (!session) throw new TypeError("this client has no session: create it with createClient({ url, session })");
  return session;
}
