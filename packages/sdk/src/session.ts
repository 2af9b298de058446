import type { TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import type { AppRouter } from "./app-router.js";
import { isApiError } from "./errors.js";
import type { TokenPair } from "./types.js";

export type SessionOptions = {
  /** The pair a previous login left, e.g. read back from storage; absent or null when logged out. */
  tokens?: TokenPair | null;
  /** Called with every new pair, after `login` and after each refresh: store it, since the old refresh token is spent. */
  onTokens?: (tokens: TokenPair) => void;
  /** Called once the session is over: after `logout`, or when the server refused the refresh token. */
  onLogout?: () => void;
};

/** A 401 from these means wrong credentials, not an expired access token: refreshing would not help. */
const CREDENTIAL_PROCEDURES = new Set(["auth.login", "auth.refresh"]);

/** The tokens of one signed-in user, and the single refresh that may be under way. */
export class Session {
  private tokens: TokenPair | null;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly options: SessionOptions,
    private readonly exchange: (refreshToken: string) => Promise<TokenPair>,
  ) {
    this.tokens = options.tokens ?? null;
  }

  get accessToken(): string | undefined {
    return this.tokens?.access_token;
  }

  get refreshToken(): string | undefined {
    return this.tokens?.refresh_token;
  }

  start(tokens: TokenPair): void {
    this.tokens = tokens;
    this.options.onTokens?.(tokens);
  }

  end(): void {
    if (this.tokens === null) return;
    this.tokens = null;
    this.options.onLogout?.();
  }

  /**
   * After a 401 to a request sent with `rejected`: true once a newer access token is there to retry with. Calls that
   * fail together share one refresh; a call that failed with a token already replaced just retries.
   */
  renewAfter(rejected: string): Promise<boolean> {
    const current = this.tokens;
    if (current === null) return Promise.resolve(false);
    if (current.access_token !== rejected) return Promise.resolve(true);
    this.refreshing ??= this.refresh(current).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(current: TokenPair): Promise<boolean> {
    let next: TokenPair;
    try {
      next = await this.exchange(current.refresh_token);
    } catch (error) {
      // 401/403: the token expired, was revoked or reused, or the user is gone or inactive. Anything else (network,
      // 5xx) says nothing about the session, so it stays and the error reaches the caller.
      const status = isApiError(error) ? error.data?.httpStatus : undefined;
      if (status !== 401 && status !== 403) throw error;
      if (this.tokens === current) this.end();
      return false;
    }
    // A logout or another login while the refresh was under way wins.
    if (this.tokens !== current) return this.tokens !== null;
    this.start(next);
    return true;
  }
}

/** Retries a call that got a 401 once, after the session renewed its access token. */
export function sessionLink(session: Session): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | undefined;
        let closed = false;
        const attempt = (isRetry: boolean) => {
          const sentWith = session.accessToken;
          subscription = next(op).subscribe({
            next: (result) => observer.next(result),
            complete: () => observer.complete(),
            error: (error) => {
              const renewable =
                !isRetry &&
                sentWith !== undefined &&
                error.data?.code === "UNAUTHORIZED" &&
                !CREDENTIAL_PROCEDURES.has(op.path);
              if (!renewable) return observer.error(error);
              session.renewAfter(sentWith).then(
                (renewed) => {
                  if (closed) return;
                  if (renewed) attempt(true);
                  else observer.error(error);
                },
                (failure: unknown) => {
                  if (!closed) observer.error(isApiError(failure) ? failure : error);
                },
              );
            },
          });
        };
        attempt(false);
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
}
