import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import type { Logger } from "./logger.js";
import type { Store } from "./store/store.js";

/** What the API needs from the process: built once at start. */
export type AppDeps = { config: Config; db: Database; store: Store; logger: Logger };

/** What each request adds. */
export type RequestInfo = {
  requestId: string;
  /** The socket peer, or the first X-Forwarded-For entry when TRUST_PROXY is on. */
  clientAddress: string;
  authorization: string | undefined;
  /** The `User-Agent` header: a session remembers the one it began with. */
  userAgent: string | undefined;
  /** The `X-Refresh-Token` header: tells which listed session is the caller's own (access tokens carry no family). */
  refreshToken: string | undefined;
};

export type Context = AppDeps & RequestInfo;
