import type { RestOperation } from "@internship/api";
import type { AnyTRPCRouter, TRPCError } from "@trpc/server";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { type ErrorBody, errorResponse } from "./error-response.js";

export const MAX_JSON_BODY_BYTES = 1024 * 1024;
const MAX_JSON_DEPTH = 64;

type BridgeOptions = { router: AnyTRPCRouter; operations: RestOperation[] };

// The handler is built once; each request's context rides on the request object it is given.
const CONTEXT = Symbol("trpc context");

type Route = RestOperation & { pattern: RegExp; parameterCount: number };

/**
 * The REST side of the API: trpc-to-openapi's handler, built once, behind a thin layer that owns what the contract
 * says and the library does not: 404/405, 415/400/413/422 for bodies, body-less routes that ignore what is sent,
 * 201/204, and the error body `{detail, code, issues?}`.
 */
export function createRestBridge({ router, operations }: BridgeOptions) {
  const successStatus = new Map(operations.map((operation) => [operation.procedurePath, operation.successStatus]));
  const handle = createOpenApiNodeHttpHandler({
    router: literalRoutesFirst(router, operations),
    createContext: ({ req }: { req: { [CONTEXT]: unknown } }) => req[CONTEXT],
    responseMeta: ({ paths, errors }: { paths?: string[]; errors: TRPCError[] }) => {
      const error = errors[0];
      if (error) return { status: error.code === "BAD_REQUEST" ? 422 : undefined, headers: errorHeaders(error) };
      return { status: successStatus.get(paths?.[0] ?? "") ?? 200 };
    },
  } as never) as unknown as (req: unknown, res: unknown) => Promise<void>;

  const routes: Route[] = operations.map((operation) => ({
    ...operation,
    pattern: new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, "[^/]+")}$`, "i"),
    parameterCount: (operation.path.match(/\{/g) ?? []).length,
  }));

  return async (request: Request, context: unknown): Promise<Response> => {
    const url = new URL(request.url);
    const path = `/${url.pathname.replace(/^\/+|\/+$/g, "")}`;
    const candidates = routes.filter((route) => route.pattern.test(path));
    if (candidates.length === 0) return errorResponse(404, { detail: "Not Found", code: "NOT_FOUND" });
    // Literal segments win over parameters (/users/me before /users/{user_id}).
    const route = candidates
      .filter(
        (candidate) => candidate.method === request.method || (request.method === "HEAD" && candidate.method === "GET"),
      )
      .sort((a, b) => a.parameterCount - b.parameterCount)[0];
    if (!route) {
      const allow = [...new Set(candidates.map((candidate) => candidate.method))].join(", ");
      return errorResponse(405, { detail: "Method Not Allowed", code: "METHOD_NOT_SUPPORTED" }, { Allow: allow });
    }

    let body: unknown;
    if (route.takesBody) {
      const parsed = await readJsonObject(request);
      if (parsed instanceof Response) return parsed;
      body = parsed;
    } else if (route.method !== "GET" && route.method !== "DELETE") {
      body = {};
    }
    const response = await invoke(handle, request, url, body, context);
    return response.status >= 400 ? rewriteError(response) : response;
  };
}

/**
 * trpc-to-openapi matches a path against procedures in router order, so `/users/{user_id}` declared before
 * `/users/me` would swallow "me". A copy of the router with fewer-parameter routes first makes literals win whatever
 * order the modules declare them in (D32).
 */
function literalRoutesFirst(router: AnyTRPCRouter, operations: RestOperation[]): AnyTRPCRouter {
  const parameterCount = new Map(
    operations.map((operation) => [operation.procedurePath, (operation.path.match(/\{/g) ?? []).length]),
  );
  const procedures = Object.entries(router._def.procedures).sort(
    ([a], [b]) => (parameterCount.get(a) ?? 0) - (parameterCount.get(b) ?? 0),
  );
  return { ...router, _def: { ...router._def, procedures: Object.fromEntries(procedures) } } as AnyTRPCRouter;
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
 * Runs the node-style handler with the request seen through a Proxy: `body` is the already parsed object, HEAD reads
 * as GET, and a body route always reads as JSON. No new Request is built: on Node 20 one with a signal costs ~40 µs
 * (undici follows the signal through a WeakRef and a FinalizationRegistry), a fifth of a cheap request's CPU.
 */
function invoke(
  handle: (req: unknown, res: unknown) => Promise<void>,
  request: Request,
  url: URL,
  body: unknown,
  context: unknown,
): Promise<Response> {
  const method = request.method === "HEAD" ? "GET" : request.method;
  let headers = request.headers;
  if (body !== undefined) {
    headers = new Headers(request.headers);
    headers.set("content-type", "application/json");
  }
  const query = queryOf(url);
  const req = new Proxy(request, {
    get: (target, property) => {
      if (property === "body") return body;
      if (property === CONTEXT) return context;
      if (property === "method") return method;
      if (property === "headers") return headers;
      if (property === "query") return query;
      return Reflect.get(target, property, target);
    },
  });
  return new Promise((resolve, reject) => {
    const responseHeaders = new Headers();
    let status = 200;
    const res = {
      setHeader: (key: string, value: string | string[]) => {
        if (typeof value === "string") responseHeaders.set(key, value);
        else for (const entry of value) responseHeaders.append(key, entry);
      },
      get statusCode() {
        return status;
      },
      set statusCode(code: number) {
        status = code;
      },
      end: (payload?: string) => {
        const empty = status === 204 || payload === undefined;
        if (empty) responseHeaders.delete("content-type");
        resolve(new Response(empty ? null : payload, { status, headers: responseHeaders }));
      },
    };
    handle(req, res).catch(reject);
  });
}

/**
 * The query parameters, each name with all its values, in an object without a prototype. trpc-to-openapi builds this
 * itself in a plain object, where `?__proto__=x` finds Object.prototype instead of an array and throws (a 500 for a
 * client's typo); given one, it uses it.
 */
function queryOf(url: URL): Record<string, string[]> {
  const query: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    const values = query[name] ?? [];
    values.push(value);
    query[name] = values;
  }
  return query;
}

/** The bridge's error body is tRPC's shape plus its own fields; the contract's is `{detail, code, issues?}`. */
async function rewriteError(response: Response): Promise<Response> {
  const raw = (await response.json()) as {
    message?: string;
    data?: { code?: string; issues?: ErrorBody["issues"] };
  };
  const issues = raw.data?.issues;
  const body: ErrorBody = {
    detail: issues ? "Validation error" : (raw.message ?? "Error"),
    code: raw.data?.code ?? "INTERNAL_SERVER_ERROR",
    ...(issues && { issues }),
  };
  const headers = Object.fromEntries(response.headers);
  return errorResponse(response.status, body, headers);
}
