import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import { authenticate, authenticateOptionally } from "./auth/authenticate.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import { isDependencyDown } from "./errors.js";
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
};

export type Context = AppDeps & RequestInfo;

/**
 * REST extras: `successStatus` (200 when absent) is applied by the server's bridge; `authOptional` marks public routes
 * that read a token when one is sent; `errorStatuses` lists the business errors (404, 409, 429…) for the document.
 */
export type Meta = OpenApiMeta<{ successStatus?: 201 | 204; authOptional?: true; errorStatuses?: number[] }>;

export type ErrorIssue = { path: (string | number)[]; message: string };

/** The marker a path-id schema puts on its issue: a malformed id is "not found", not a validation error (D6). */
export type NotFoundIssueParams = { notFound: string };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // The contract's error body: a message, the code and, for validation errors, the offending fields. Never a stack,
    // SQL or an internal message.
    errorFormatter({ shape, error }) {
      const issues =
        error.code === "BAD_REQUEST" && error.cause instanceof ZodError
          ? error.cause.issues.map(
              (issue): ErrorIssue => ({
                path: issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment)),
                message: issue.message,
              }),
            )
          : undefined;
      return {
        message: publicMessage(error, issues !== undefined),
        code: shape.code,
        data: { code: error.code, httpStatus: shape.data.httpStatus, ...(issues && { issues }) },
      };
    },
  });

function publicMessage(error: TRPCError, isValidation: boolean): string {
  if (isValidation) return "Validation error";
  switch (error.code) {
    case "INTERNAL_SERVER_ERROR":
      return "Internal Server Error";
    case "PARSE_ERROR":
      return "Malformed JSON body";
    default:
      return error.message;
  }
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Normalises what the procedures throw: a malformed path id becomes the 404 an unknown id gets, a dependency that is
 * down becomes a 503, and anything unexpected is logged with the request id (its message stays out of the answer).
 */
const normalizeErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const error = result.error;
  const notFound = pathIdNotFound(error);
  if (notFound !== undefined) throw new TRPCError({ code: "NOT_FOUND", message: notFound });
  if (error.code === "INTERNAL_SERVER_ERROR" && isDependencyDown(error.cause ?? error)) {
    ctx.logger.warn({ requestId: ctx.requestId, path, err: error.cause ?? error }, "dependency unavailable");
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Service temporarily unavailable", cause: error });
  }
  if (error.code === "INTERNAL_SERVER_ERROR") {
    ctx.logger.error({ requestId: ctx.requestId, path, err: error.cause ?? error }, "unexpected error");
  }
  return result;
});

function pathIdNotFound(error: TRPCError): string | undefined {
  if (error.code !== "BAD_REQUEST" || !(error.cause instanceof ZodError)) return undefined;
  const messages = error.cause.issues.map((issue) =>
    issue.code === "custom" ? (issue.params as Partial<NotFoundIssueParams> | undefined)?.notFound : undefined,
  );
  const first = messages[0];
  return first !== undefined && messages.every((message) => message !== undefined) ? first : undefined;
}

export const publicProcedure = t.procedure.use(normalizeErrors);

/** Guarantees `ctx.user`: 401 for a missing or bad token or a deleted user, 403 for an inactive user. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await authenticate(ctx, ctx.authorization);
  return next({ ctx: { user } });
});

/** `ctx.user` is the caller when a usable token is present, else null; a bad token never fails the request. */
export const optionalAuthProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await authenticateOptionally(ctx, ctx.authorization);
  return next({ ctx: { user } });
});
