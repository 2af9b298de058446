import type { AppRouter, Context } from "@internship/api";
import { getErrorShape, getTRPCErrorFromUnknown, TRPCError, transformTRPCResponse } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getHTTPStatusCode } from "@trpc/server/http";
import { getRequestInfo, urlPathToProcedurePath } from "@trpc/server/unstable-core-do-not-import";

/** What the handler reads of a request: no fetch Request, the body already read (and counted) by the caller. */
export type TrpcRequest = {
  method: string;
  url: string;
  headers: { get(name: string): string | null; has(name: string): boolean };
  body: string | undefined;
};

type HandlerOptions = {
  router: AppRouter;
  /** Headers an answer gets for its first error (WWW-Authenticate, Retry-After). */
  errorHeaders: (error: TRPCError) => Record<string, string> | undefined;
};

type Envelope = { result: { data: unknown } } | { error: ReturnType<typeof getErrorShape> };

const ENDPOINT = "/trpc/";
const ACCEPTED_METHOD = { query: "GET", mutation: "POST", subscription: "GET" } as const;

/**
 * tRPC's HTTP protocol for queries and mutations, single or batched, without a fetch Request per call: tRPC's own
 * adapters build one (on Node an undici Request), an AbortController and two `AbortSignal.any` per call, ~100 µs.
 * The request is parsed by tRPC's `getRequestInfo` (batching, content types, malformed input) and the answer put
 * together as tRPC's `resolveResponse` does (error shapes, statuses, 207 for a mixed batch, `Allow` on 405). Streamed
 * answers (httpBatchStreamLink, subscriptions) still go through tRPC's fetch adapter, the only one that can stream.
 */
export function createTrpcHandler({ router, errorHeaders }: HandlerOptions) {
  const config = router._def._config;

  const answer = (headers: Record<string, string>, json: Envelope | Envelope[], errors: (TRPCError | undefined)[]) => {
    const first = errors.find((error) => error !== undefined);
    const extra = first && errorHeaders(first);
    return new Response(JSON.stringify(transformTRPCResponse(config, json)), {
      // By index, holes included, as tRPC passes them.
      status: getHTTPStatusCode(json, errors as TRPCError[]),
      headers: extra ? { ...headers, ...extra } : headers,
    });
  };

  const streamed = (request: TrpcRequest, ctx: Context) =>
    fetchRequestHandler<AppRouter>({
      endpoint: "/trpc",
      req: new Request(request.url, {
        method: request.method,
        headers: request.headers as Headers,
        ...(request.body !== undefined && { body: request.body }),
      }),
      router,
      createContext: () => ctx,
      responseMeta: ({ errors }) => {
        const headers = errors[0] && errorHeaders(errors[0]);
        return headers ? { headers } : {};
      },
    });

  return async (request: TrpcRequest, ctx: Context): Promise<Response> => {
    if (request.method === "HEAD") return new Response(null, { status: 204 });
    if (wantsStream(request.headers)) return streamed(request, ctx);
    const url = new URL(request.url);
    // As tRPC's `headers`: only `vary` until the calls are known (a request it cannot read has no content-type).
    const headers: Record<string, string> = { vary: "trpc-accept, accept" };
    let info: Awaited<ReturnType<typeof getRequestInfo>>;
    try {
      info = await getRequestInfo({
        req: { method: request.method, headers: request.headers, text: async () => request.body ?? "" } as Request,
        path: urlPathToProcedurePath(decodePath(procedurePath(url.pathname)), config.pathSeparator),
        router,
        searchParams: url.searchParams,
        headers: request.headers as Headers,
        url,
      });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      const shape = getErrorShape({
        config,
        error,
        type: "unknown",
        path: undefined,
        input: undefined,
        ctx: undefined,
      });
      return answer(headers, { error: shape }, [error]);
    }
    if (info.type === "subscription") return streamed(request, ctx);

    const results = await Promise.all(
      info.calls.map(async (call): Promise<[TRPCError | undefined, Envelope]> => {
        const procedure = call.procedure;
        try {
          if (!procedure)
            throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${call.path}"` });
          const type = procedure._def.type;
          if (ACCEPTED_METHOD[type] !== request.method) {
            headers.allow = ACCEPTED_METHOD[type];
            throw new TRPCError({
              code: "METHOD_NOT_SUPPORTED",
              message: `Unsupported ${request.method}-request to ${type} procedure at path "${call.path}"`,
            });
          }
          const data = await procedure({
            path: call.path,
            getRawInput: call.getRawInput,
            ctx,
            type,
            signal: undefined,
            batchIndex: call.batchIndex,
          });
          return [undefined, { result: { data } }];
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          const type = info.isBatchCall ? (procedure?._def.type ?? "unknown") : info.type;
          const shape = getErrorShape({ config, error, type, path: call.path, input: call.result(), ctx });
          return [error, { error: shape }];
        }
      }),
    );
    headers["content-type"] = "application/json";
    const errors = results.map(([error]) => error);
    const envelopes = results.map(([, envelope]) => envelope);
    return answer(headers, info.isBatchCall ? envelopes : (envelopes[0] as Envelope), errors);
  };
}

/** httpBatchStreamLink asks with `trpc-accept` (or `accept`) `application/jsonl`; SSE with `text/event-stream`. */
function wantsStream(headers: TrpcRequest["headers"]): boolean {
  if (headers.has("trpc-accept")) return true;
  const accept = headers.get("accept");
  return accept !== null && (accept.includes("application/jsonl") || accept.includes("text/event-stream"));
}

/** The path after /trpc/ without its slashes, as tRPC's fetch adapter cuts it. */
function procedurePath(pathname: string): string {
  const rest = pathname.startsWith(ENDPOINT) ? pathname.slice(ENDPOINT.length) : "";
  return rest.endsWith("/") ? rest.slice(0, -1) : rest;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch (cause) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Invalid URL-encoding in path "${path}"`, cause });
  }
}
