import { type AppRouter, type Context, errorBody, type RestRoute } from "@internship/api";
import { callTRPCProcedure, getTRPCErrorFromUnknown, type TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { errorResponse } from "./error-response.js";
import { readJsonObject } from "./request-body.js";

type BridgeOptions = { router: AppRouter; routes: RestRoute[] };

type Route = RestRoute & {
  /** Matches a normalised path (no trailing slash); its named groups are the path parameters. */
  pattern: RegExp;
  parameterCount: number;
};

/** A path with its slashes trimmed: both slash forms of a route answer alike, without a redirect. */
const normalized = (path: string) => `/${path.replace(/^\/+|\/+$/g, "")}`;

/**
 * The REST side of the API, at the original's paths: each route of the table calls its tRPC procedure directly, with
 * the input trpc-to-openapi would build (query or JSON body, path parameters on top). The contract's HTTP rules live
 * here (docs/rest-routing.md): 404/405, 415/400/413/422 for bodies, body-less routes that ignore what is sent,
 * 201/204, and the error body `{detail, code, issues?}`.
 */
export function createRestBridge({ router, routes }: BridgeOptions) {
  const table: Route[] = routes.map((route) => ({
    ...route,
    pattern: new RegExp(`^${normalized(route.path).replace(/\{([^}]+)\}/g, "(?<$1>[^/]+)")}$`, "i"),
    parameterCount: (route.path.match(/\{/g) ?? []).length,
  }));

  return async (request: Request, ctx: Context): Promise<Response> => {
    const url = new URL(request.url);
    const path = normalized(url.pathname);
    const candidates = table.filter((route) => route.pattern.test(path));
    if (candidates.length === 0) return errorResponse(404, { detail: "Not Found", code: "NOT_FOUND" });
    // Literal segments win over parameters (/users/me before /users/{user_id}), whatever the declaration order.
    const route = candidates
      .filter(
        (candidate) => candidate.method === request.method || (request.method === "HEAD" && candidate.method === "GET"),
      )
      .sort((a, b) => a.parameterCount - b.parameterCount)[0];
    if (!route) {
      const allow = [...new Set(candidates.map((candidate) => candidate.method))].join(", ");
      return errorResponse(405, { detail: "Method Not Allowed", code: "METHOD_NOT_SUPPORTED" }, { Allow: allow });
    }

    let input: Record<string, unknown>;
    if (route.takesBody) {
      const parsed = await readJsonObject(request);
      if (parsed instanceof Response) return parsed;
      input = parsed;
    } else {
      // A body-less POST ignores its query as well as its body; GET and DELETE read the query.
      input = route.method === "GET" || route.method === "DELETE" ? queryOf(url) : {};
    }
    Object.assign(input, route.pattern.exec(path)?.groups);
    return call(router, route, route.takesInput ? input : undefined, ctx);
  };
}

async function call(router: AppRouter, route: Route, input: unknown, ctx: Context): Promise<Response> {
  try {
    const data = await callTRPCProcedure({
      router,
      path: route.procedurePath,
      type: route.type,
      ctx,
      getRawInput: async () => input,
      signal: undefined,
      batchIndex: 0,
    });
    if (route.successStatus === 204 || data === undefined) return new Response(null, { status: route.successStatus });
    return new Response(JSON.stringify(data), {
      status: route.successStatus,
      headers: { "content-type": "application/json" },
    });
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    // A validation error is 422 on REST; tRPC's own status for it is 400.
    const status = error.code === "BAD_REQUEST" ? 422 : getHTTPStatusCodeFromError(error);
    return errorResponse(status, errorBody(error), errorHeaders(error));
  }
}

/** WWW-Authenticate on a 401, Retry-After on a 429 whose cause carries `retryAfterSeconds`. */
export function errorHeaders(error: TRPCError): Record<string, string> | undefined {
  if (error.code === "UNAUTHORIZED") return { "WWW-Authenticate": "Bearer" };
  const retryAfter = (error.cause as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (error.code === "TOO_MANY_REQUESTS" && typeof retryAfter === "number") {
    return { "Retry-After": String(retryAfter) };
  }
  return undefined;
}

/**
 * The query as trpc-to-openapi reads it: a name given once is a string, repeated it is an array of strings. The object
 * has no prototype, so `?__proto__=x` is just an unknown parameter.
 */
function queryOf(url: URL): Record<string, unknown> {
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}
