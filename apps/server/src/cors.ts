import type { HttpBindings } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { withAnswerHeaders } from "./answer-headers.js";

const ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS";

/**
 * CORS (docs/differences.md#cors): `*` without credentials, or a list of exact origins echoed with credentials and
 * `Vary: Origin`. Headers go on every answer, errors included; an unlisted origin gets none.
 */
export function cors(origins: "*" | string[]): MiddlewareHandler<{ Bindings: Partial<HttpBindings> }> {
  const allowed = origins === "*" ? undefined : new Set(origins);
  return async (c, next) => {
    const origin = c.req.header("origin");
    const allowOrigin = allowed === undefined ? "*" : origin && allowed.has(origin) ? origin : undefined;
    const isPreflight = c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
    if (isPreflight) {
      const headers = new Headers();
      if (allowed !== undefined) headers.set("Vary", "Origin");
      if (allowOrigin) {
        headers.set("Access-Control-Allow-Origin", allowOrigin);
        if (allowed !== undefined) headers.set("Access-Control-Allow-Credentials", "true");
        headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
        headers.set(
          "Access-Control-Allow-Headers",
          c.req.header("access-control-request-headers") ?? "authorization, content-type",
        );
        headers.set("Access-Control-Max-Age", "600");
      }
      return new Response(null, { status: 204, headers });
    }
    const headers: Record<string, string> = {};
    if (allowOrigin) {
      headers["Access-Control-Allow-Origin"] = allowOrigin;
      if (allowed !== undefined) headers["Access-Control-Allow-Credentials"] = "true";
      headers["Access-Control-Expose-Headers"] = "X-Request-Id, Retry-After, WWW-Authenticate";
    }
    await withAnswerHeaders(c, headers, next);
    // Added to whatever Vary the answer has of its own, so it is set on the Response.
    if (allowed !== undefined) c.res.headers.append("Vary", "Origin");
  };
}
