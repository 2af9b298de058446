import { randomUUID } from "node:crypto";
import type { HttpBindings } from "@hono/node-server";
import { API_VERSION, type AppDeps, appRouter, type Context, type RequestInfo, restTable } from "@internship/api";
import { Hono } from "hono";
import { withAnswerHeaders } from "./answer-headers.js";
import { cors } from "./cors.js";
import { mountDocs } from "./docs.js";
import { errorResponse } from "./error-response.js";
import { MAX_JSON_BODY_BYTES, payloadTooLarge, readIncomingLimited, readLimited } from "./request-body.js";
import { createRestBridge, errorHeaders } from "./rest-bridge.js";
import { createTrpcHandler } from "./trpc-http.js";

type Env = { Bindings: Partial<HttpBindings>; Variables: { requestId: string } };

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The whole HTTP surface: request id and log line, CORS, docs, tRPC at /trpc and the REST bridge at the original's
 * paths (mounted last, as the catch-all). Everything that varies per process comes in through `deps`.
 */
export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const routes = restTable(appRouter);
  // Written on the first docs request: the generator is a fifth of the server's import time at start.
  const document = async () => {
    const { buildOpenApi } = await import("@internship/api/openapi");
    return buildOpenApi(appRouter, { title: deps.config.appName, version: API_VERSION }).document;
  };

  const requestInfo = (c: {
    req: { raw: Request; header(name: string): string | undefined };
    env: Env["Bindings"] | undefined;
    get(key: "requestId"): string;
  }): RequestInfo => ({
    requestId: c.get("requestId"),
    clientAddress: clientAddress(deps, c.req.header("x-forwarded-for"), c.env?.incoming?.socket.remoteAddress),
    authorization: c.req.header("authorization"),
    userAgent: c.req.header("user-agent"),
    refreshToken: c.req.header("x-refresh-token"),
  });

  app.use(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await withAnswerHeaders(c, { "X-Request-Id": requestId }, next);
    deps.logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  });
  app.use(cors(deps.config.corsOrigins));

  mountDocs(app, deps.config.appName, document);

  const trpc = createTrpcHandler({ router: appRouter, errorHeaders });
  app.all("/trpc/*", async (c) => {
    const raw = c.req.raw;
    let body: string | undefined;
    if (raw.method !== "GET" && raw.method !== "HEAD") {
      // Counted on the stream, so a chunked body cannot slip past the limit a Content-Length would have told.
      const incoming = c.env?.incoming;
      body = incoming
        ? await readIncomingLimited(incoming, MAX_JSON_BODY_BYTES)
        : await readLimited(raw, MAX_JSON_BODY_BYTES);
      if (body === undefined) return payloadTooLarge();
    }
    return trpc({ method: raw.method, url: raw.url, headers: raw.headers, body }, { ...deps, ...requestInfo(c) });
  });

  const rest = createRestBridge({ router: appRouter, routes });
  app.all("/*", (c) => rest(c.req.raw, { ...deps, ...requestInfo(c) } satisfies Context));

  app.notFound(() => errorResponse(404, { detail: "Not Found", code: "NOT_FOUND" }));
  app.onError((error, c) => {
    deps.logger.error({ requestId: c.get("requestId"), err: error }, "unhandled error");
    return errorResponse(500, { detail: "Internal Server Error", code: "INTERNAL_SERVER_ERROR" });
  });
  return app;
}

function clientAddress(deps: AppDeps, forwardedFor: string | undefined, socketAddress: string | undefined): string {
  if (deps.config.trustProxy && forwardedFor) {
    const first = forwardedFor.split(",")[0]?.trim();
    if (first) return first;
  }
  return socketAddress ?? "unknown";
}
