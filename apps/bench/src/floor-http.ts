/**
 * What the floor does around every answer, as the server does it (apps/server/src/app.ts, cors.ts, logger.ts): an
 * `X-Request-Id`, the CORS headers of `CORS_ORIGINS=*` put on Node's outgoing message before the answer is built, and
 * one pino access line per request at LOG_LEVEL, written asynchronously to stdout with the same redaction.
 */
import { randomUUID } from "node:crypto";
import type { HttpBindings } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { pino } from "pino";

export function createFloorLogger(level: string) {
  return pino(
    {
      level,
      redact: {
        paths: ["password", "*.password", "hashed_password", "*.hashed_password", "authorization"],
        remove: true,
      },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const EXPOSED = "X-Request-Id, Retry-After, WWW-Authenticate";

export function accessLog(logger: ReturnType<typeof createFloorLogger>): MiddlewareHandler<{ Bindings: HttpBindings }> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    const outgoing = c.env.outgoing;
    outgoing.setHeader("X-Request-Id", requestId);
    outgoing.setHeader("Access-Control-Allow-Origin", "*");
    outgoing.setHeader("Access-Control-Expose-Headers", EXPOSED);
    await next();
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  };
}
