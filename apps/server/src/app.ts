import { randomUUID } from "node:crypto";
import type { HttpBindings } from "@hono/node-server";
import {
  API_VERSION,
  type AppDeps,
  type AppRouter,
  appRouter,
  buildOpenApi,
  type Context,
  type RequestInfo,
} from "@internship/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { withAnswerHeaders } from "./answer-headers.js";
import { cors } from "./cors.js";
import { mountDocs } from "./docs.js";
import { errorResponse } from "./error-response.js";
import { MAX_JSON_BODY_BYTES, payloadTooLarge, readLimited } from "./request-body.js";
import { createRestBridge, errorHeaders } from "./rest-bridge.js";

type Env = { Bindings: Partial<HttpBindings>; Variables: { requestId: string } };

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The whole HTTP surface: request id and log line, CORS, docs, tRPC at /trpc and the REST bridge at the original's
 * paths (mounted last, as the catch-all). Everything that varies per process comes in through `deps`.
 */
export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { document, routes } = buildOpenApi(appRouter, { title: deps.config.appName, version: API_VERSION });

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

  app.all("/trpc/*", async (c) => {
    let req = c.req.raw;
    if (req.body) {
      // Counted on the stream, so a chunked body cannot slip past the limit a Content-Length would have told.
      const body = await readLimited(req, MAX_JSON_BODY_BYTES);
      if (body === undefined) return payloadTooLarge();
      req = new Request(req.url, { method: req.method, headers: req.headers, body });
    }
    const info = requestInfo(c);
    return fetchRequestHandler<AppRouter>({
      endpoint: "/trpc",
      req,
      router: appRouter,
      createContext: (): Context => ({ ...deps, ...info }),
      responseMeta: ({ errors }) => {
        const error = errors[0];
        const headers = error ? errorHeaders(error) : undefined;
        return headers ? { headers } : {};
      },
    });
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
