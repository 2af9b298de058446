import type { AnyTRPCRouter } from "@trpc/server";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { ZodVoid } from "zod";
import { createSchema } from "zod-openapi";
import { errorBodySchema } from "./schemas.js";
import type { Meta } from "./trpc.js";

type Operation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  parameters?: { in: string }[];
  responses: Record<string, { description?: string; content?: unknown; headers?: unknown }>;
};

/** A REST operation as the server's bridge needs to know it. */
export type RestOperation = {
  method: string;
  /** The OpenAPI path template, e.g. `/companies/{company_id}`. */
  path: string;
  procedurePath: string;
  successStatus: 200 | 201 | 204;
  /** False for routes that take no JSON body (accept, decline, DELETE…): whatever is sent is ignored. */
  takesBody: boolean;
  /** False for procedures declared without input or with `z.void()`: they are called with no input at all. */
  takesInput: boolean;
};

export type OpenApiBuild = { document: OpenAPIObject; operations: RestOperation[] };

/** The contract's version, in the OpenAPI document the server serves and the one the SDK commits. */
export const API_VERSION = "0.1.0";

const BEARER = "bearer";
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed JSON body",
  401: "Missing, invalid or expired token",
  403: "Not allowed (inactive user, or not the owner)",
  404: "Not found",
  409: "Conflict with the current state",
  413: "Body too large",
  415: "Unsupported Content-Type",
  422: "Validation error",
  429: "Too many requests",
  500: "Unexpected error",
  503: "A dependency (database, store, Auth0) is unavailable",
};

/**
 * Builds the OpenAPI document once from the router, then makes it tell the truth: the real success status
 * (201/204), 422 instead of 400 for validation, the contract's error body, and optional auth where it applies.
 */
export function buildOpenApi(router: AnyTRPCRouter, info: { title: string; version: string }): OpenApiBuild {
  const document = generateOpenApiDocument(router, {
    title: info.title,
    version: info.version,
    baseUrl: "/",
    securitySchemes: { [BEARER]: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
  });
  // errorBodySchema carries the id ErrorBody: createSchema answers a $ref to it and puts the schema in `components`.
  const errorBody = createSchema(errorBodySchema).components;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...errorBody } };

  const metaByProcedure = new Map<string, Meta>();
  const inputByProcedure = new Map<string, unknown>();
  for (const [procedurePath, procedure] of Object.entries(router._def.procedures)) {
    const { meta, inputs } = (procedure as { _def: { meta?: Meta; inputs: unknown[] } })._def;
    if (meta?.openapi) metaByProcedure.set(procedurePath, meta);
    inputByProcedure.set(procedurePath, inputs[0]);
  }

  const operations: RestOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const procedurePath = [...metaByProcedure.keys()].find(
        (candidate) => candidate.replace(/\./g, "-") === operation.operationId,
      );
      const meta = procedurePath ? metaByProcedure.get(procedurePath) : undefined;
      if (!procedurePath || !meta?.openapi) throw new Error(`No procedure for ${method.toUpperCase()} ${path}`);
      const successStatus = meta.successStatus ?? 200;
      const takesBody = operation.requestBody !== undefined;
      const input = inputByProcedure.get(procedurePath);
      const takesInput = input !== undefined && !(input instanceof ZodVoid);
      operations.push({ method: method.toUpperCase(), path, procedurePath, successStatus, takesBody, takesInput });

      const protectedRoute = meta.openapi.protect !== false;
      if (meta.authOptional) operation.security = [{}, { [BEARER]: [] }];
      const hasInput = takesBody || (operation.parameters?.length ?? 0) > 0;
      const hasPathParameter = operation.parameters?.some((parameter) => parameter.in === "path") ?? false;
      const statuses = new Set<number>([
        500,
        503,
        ...(meta.errorStatuses ?? []),
        ...(protectedRoute ? [401, 403] : []),
        ...(hasInput ? [422] : []),
        ...(hasPathParameter ? [404] : []),
        ...(takesBody ? [400, 413, 415] : []),
      ]);

      const success = operation.responses["200"] ?? { description: "Successful response" };
      const responses: Operation["responses"] = {
        [successStatus]:
          successStatus === 204
            ? { description: "No content" }
            : { ...success, description: meta.openapi.successDescription ?? "Successful response" },
      };
      for (const status of [...statuses].sort((a, b) => a - b)) {
        responses[status] = {
          description: ERROR_DESCRIPTIONS[status] ?? "Error",
          ...(status === 401 && { headers: { "WWW-Authenticate": { schema: { type: "string", example: "Bearer" } } } }),
          ...(status === 429 && { headers: { "Retry-After": { schema: { type: "integer" } } } }),
          content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
        };
      }
      operation.responses = responses;
    }
  }
  // The generator registers one schema per error code; every error now uses ErrorBody instead.
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  return { document, operations };
}
