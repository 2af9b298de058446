import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { Context } from "./context.js";
import { authenticate, authenticateOptionally } from "./credentials/authenticate.js";
import { isDependencyDown } from "./errors.js";
import type { ErrorBody, ErrorIssue, NotFoundIssueParams } from "./schemas.js";

/** Who may call a procedure: set by the procedure builders below, read by the REST route table and the document. */
export type Auth = "none" | "required" | "optional";

/**
 * REST extras beside trpc-to-openapi's `openapi` (method, path, summary…): `successStatus` (200 when absent) and
 * `errorStatuses`, the business errors (404, 409, 429…) the route answers; `auth` comes from the procedure builder.
 */
export type Meta = OpenApiMeta<{ auth?: Auth; successStatus?: 201 | 204; errorStatuses?: number[] }>;

type RouteOptions = { status?: 201 | 204; errors?: readonly number[]; description?: string };
type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * A module's route declarations: `route("POST /companies/", "Create a company", { status: 201, errors: [404] })`.
 * The path is written as clients call it (collections with their trailing slash, as the original's document has them).
 */
export const restRoutes =
  (tag: string) =>
  (route: `${Method} /${string}`, summary: string, options: RouteOptions = {}): Meta => {
    const [method, path] = route.split(" ") as [Method, `/${string}`];
    return {
      openapi: { method, path, summary, tags: [tag], ...(options.description && { description: options.description }) },
      ...(options.status && { successStatus: options.status }),
      ...(options.errors && { errorStatuses: [...options.errors] }),
    };
  };

/** The contract's error body for any error: a message, the code and, for validation errors, the offending fields. */
export function errorBody(error: TRPCError): ErrorBody {
  const validation = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : undefined;
  if (validation) {
    const issues = validation.issues.map(
      (issue): ErrorIssue => ({
        path: issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment)),
        message: issue.message,
      }),
    );
    // tRPC's own input errors carry the ZodError's message; a service's rule (invalidInput) carries its own.
    const detail = error.message === validation.message ? "Validation error" : error.message;
    return { detail, code: error.code, issues };
  }
  return { detail: publicMessage(error), code: error.code };
}

function publicMessage(error: TRPCError): string {
  switch (error.code) {
    case "INTERNAL_SERVER_ERROR":
      return "Internal Server Error";
    case "PARSE_ERROR":
      return "Malformed JSON body";
    default:
      return error.message;
  }
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Never a stack, SQL or an internal message: only what errorBody lets through.
    errorFormatter({ shape, error }) {
      const { detail, code, issues } = errorBody(error);
      return { message: detail, code: shape.code, data: { code, httpStatus: shape.data.httpStatus, issues } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * What every procedure's errors become: a malformed path id the 404 an unknown id gets, a dependency that is down a
 * 503; anything unexpected is logged with the request id (its message stays out of the answer).
 */
function normalized(ctx: Context, path: string, error: TRPCError): TRPCError {
  const notFound = pathIdNotFound(error);
  if (notFound !== undefined) return new TRPCError({ code: "NOT_FOUND", message: notFound });
  if (error.code !== "INTERNAL_SERVER_ERROR") return error;
  const cause = error.cause ?? error;
  if (isDependencyDown(cause)) {
    ctx.logger.warn({ requestId: ctx.requestId, path, err: cause }, "dependency unavailable");
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Service temporarily unavailable", cause: error });
  }
  ctx.logger.error({ requestId: ctx.requestId, path, err: cause }, "unexpected error");
  return error;
}

function pathIdNotFound(error: TRPCError): string | undefined {
  if (error.code !== "BAD_REQUEST" || !(error.cause instanceof ZodError)) return undefined;
  const messages = error.cause.issues.map((issue) =>
    issue.code === "custom" ? (issue.params as Partial<NotFoundIssueParams> | undefined)?.notFound : undefined,
  );
  const first = messages[0];
  return first !== undefined && messages.every((message) => message !== undefined) ? first : undefined;
}

/**
 * One middleware per procedure, whatever its kind: tRPC charges each layer a spread of its options, so authentication
 * and error normalising share one. `required`: `ctx.user` or 401 (missing or bad token, deleted user) / 403
 * (inactive user). `optional`: the caller when a usable token is present, else null; a bad token never fails.
 */
const guard = <Kind extends Auth>(auth: Kind) =>
  t.procedure.meta({ auth }).use(async ({ ctx, path, next }) => {
    let user: Awaited<ReturnType<typeof authenticate>> | null = null;
    try {
      if (auth === "required") user = await authenticate(ctx, ctx.authorization);
      else if (auth === "optional") user = await authenticateOptionally(ctx, ctx.authorization);
    } catch (cause) {
      throw normalized(ctx, path, getTRPCErrorFromUnknown(cause));
    }
    const result = await next({
      ctx: { user: user as Kind extends "required" ? NonNullable<typeof user> : typeof user },
    });
    if (!result.ok) {
      const error = normalized(ctx, path, result.error);
      if (error !== result.error) throw error;
    }
    return result;
  });

export const publicProcedure = guard("none");
export const authedProcedure = guard("required");
export const optionalAuthProcedure = guard("optional");
