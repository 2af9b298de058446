import type { Context, RestOperation } from "@internship/api";
import {
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type TRPCError,
} from "@trpc/server";
import { type ErrorBody, errorResponse } from "./error-response.js";

export const MAX_JSON_BODY_BYTES = 1024 * 1024;
const MAX_JSON_DEPTH = 64;

type BridgeOptions = { router: AnyTRPCRouter; operations: RestOperation[] };

type Route = RestOperation & {
  /** Matches a normalised path; its named groups are the path parameters. */
  pattern: RegExp;
  parameterCount: number;
  type: "query" | "mutation";
};

/**
 * The REST side of the API, at the original's paths: each route (taken from the OpenAPI document, so the two cannot
 * disagree) calls its tRPC procedure directly, with the input trpc-to-openapi would build (query or JSON body, path
 * parameters on top). The contract's HTTP rules live here: 404/405, 415/400/413/422 for bodies, body-less routes that
 * ignore what is sent, 201/204, and the error body `{detail, code, issues?}`.
 *
 * trpc-to-openapi writes the document; its request handler is not used: per request it built a caller proxy, an
 * abort signal and a node-style request/response pair, which cost more CPU than a cached read (see README,
 * Performance).
 */
export function createRestBridge({ router, operations }: BridgeOptions) {
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
  const routes: Route[] = operations.map((operation) => {
    const procedure = procedures[operation.procedurePath];
    if (!procedure) throw new Error(`No procedure ${operation.procedurePath}`);
    return {
      ...operation,
      pattern: new RegExp(`^${operation.path.replace(/\{([^}]+)\}/g, "(?<$1>[^/]+)")}$`, "i"),
      parameterCount: (operation.path.match(/\{/g) ?? []).length,
      type: procedure._def.type === "mutation" ? "mutation" : "query",
    };
  });

  return async (request: Request, ctx: Context): Promise<Response> => {
    const url = new URL(request.url);
    const path = `/${url.pathname.replace(/^\/+|\/+$/g, "")}`;
    const candidates = routes.filter((route) => route.pattern.test(path));
    if (candidates.length === 0) return errorResponse(404, { detail: "Not Found", code: "NOT_FOUND" });
    // Literal segments win over parameters (/users/me before /users/{user_id}), whatever the declaration order (D32).
    const route = candidates
      .filter(
        (candidate) => candidate.method === request.method || (request.method === "HEAD" && candidate.method === "GET"),
      )
      .sort((a, b) => a.parameterCount - b.parameterCount)[0];
    if (!route) {
      const allow = [...new Set(candidates.map((candidate) => candidate.method))].join(", ");
      return errorResponse(405, { detail: "Method Not Allowed", code: "METHOD_NOT_SUPPORTED" }, { Allow: allow });
    }

    let input: Record<string, unknown> | undefined;
    if (route.takesBody) {
      const parsed = await readJsonObject(request);
      if (parsed instanceof Response) return parsed;
      input = parsed as Record<string, unknown>;
    } else {
      // A body-less POST ignores its query as well as its body; GET and DELETE read the query.
      input = route.method === "GET" || route.method === "DELETE" ? queryOf(url) : {};
    }
    Object.assign(input, route.pattern.exec(path)?.groups);
    return call(router, route, route.takesInput ? input : undefined, ctx);
  };
}

async function call(router: AnyTRPCRouter, route: Route, input: unknown, ctx: Context): Promise<Response> {
  const path = route.procedurePath;
  try {
    const data = await callTRPCProcedure({
      router,
      path,
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
    const shape = getTRPCErrorShape({ config: router._def._config, error, type: route.type, path, input, ctx }) as {
      message: string;
      data: { code: string; httpStatus: number; issues?: ErrorBody["issues"] };
    };
    const { code, httpStatus, issues } = shape.data;
    const body: ErrorBody = { detail: shape.message, code, ...(issues && { issues }) };
    // A validation error is 422 on REST (API.md §1.6); tRPC's own status is 400.
    return errorResponse(code === "BAD_REQUEST" ? 422 : httpStatus, body, errorHeaders(error));
  }
}

/** WWW-Authenticate on a 401, Retry-After on a 429 whose cause carries `retryAfterSeconds`. */
export function errorHeaders(error: TRPCError): Record<string, string> | undefined {
  if (error.code === "UNAUTHORIZED") return { "WWW-Authenticate": "Bearer" };
  const retryAfter = (error.cause as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (error.code === "TOO_MANY_REQUESTS" && typeof retryAfter === "number")
    return { "Retry-After": String(retryAfter) };
  return undefined;
}

/** Reads a JSON object body: 415 for another type, 413 past 1 MiB, 400 when malformed or too deep, 422 for a non-object. */
async function readJsonObject(request: Request): Promise<unknown> {
  const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType && contentType !== "application/json" && !contentType.endsWith("+json")) {
    return errorResponse(415, {
      detail: "Unsupported Content-Type; send application/json",
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  }
  const raw = await readLimited(request, MAX_JSON_BODY_BYTES);
  if (raw === undefined) return errorResponse(413, { detail: "Request body too large", code: "PAYLOAD_TOO_LARGE" });
  if (raw.trim() === "") return {};
  if (jsonDepth(raw) > MAX_JSON_DEPTH) {
    return errorResponse(400, { detail: "JSON nested too deeply", code: "PARSE_ERROR" });
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return errorResponse(400, { detail: "Malformed JSON body", code: "PARSE_ERROR" });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return errorResponse(422, {
      detail: "Validation error",
      code: "BAD_REQUEST",
      issues: [{ path: [], message: "The body must be a JSON object" }],
    });
  }
  return value;
}

/** The body as text, or undefined when it is over `limit` bytes (stops reading as soon as it is). */
async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return undefined;
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The deepest nesting of arrays and objects in a JSON text, counted without parsing it. */
function jsonDepth(raw: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") deepest = Math.max(deepest, ++depth);
    else if (char === "}" || char === "]") depth--;
  }
  return deepest;
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
