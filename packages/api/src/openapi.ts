import type { AnyTRPCRouter } from "@trpc/server";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { createSchema } from "zod-openapi";
import { type RestRoute, restTable } from "./rest-table.js";
import { errorBodySchema } from "./schemas.js";

type Operation = {
  security?: Record<string, string[]>[];
  responses: Record<string, { description?: string; content?: unknown; headers?: unknown }>;
  [key: string]: unknown;
};

export type OpenApiBuild = { document: OpenAPIObject; routes: RestRoute[] };

export { API_VERSION } from "./version.js";

const BEARER = "bearer";

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

const SECURITY: Record<RestRoute["auth"], Operation["security"]> = {
  none: [],
  required: [{ [BEARER]: [] }],
  // A token is read when sent: both "no security" and the bearer scheme apply.
  optional: [{}, { [BEARER]: [] }],
};

/** trpc-to-openapi's key for a path: no trailing slash. */
const generatedKey = (path: string) => `/${path.replace(/^\/|\/$/g, "")}`;

/**
 * The OpenAPI document of the REST routes: trpc-to-openapi writes the schemas, then every operation is made to tell
 * the truth from the route table: the path as clients call it (`/users/`, as the original's document has it), its
 * real success status (201/204), every error status with the contract's error body, and who may call it.
 */
export function buildOpenApi(router: AnyTRPCRouter, info: { title: string; version: string }): OpenApiBuild {
  const generated = generateOpenApiDocument(router, {
    title: info.title,
    version: info.version,
    baseUrl: "/",
    securitySchemes: { [BEARER]: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
  });
  const routes = restTable(router);
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of routes) {
    const method = route.method.toLowerCase();
    const operation = (generated.paths?.[generatedKey(route.path)] as Record<string, Operation> | undefined)?.[method];
    if (!operation) throw new Error(`trpc-to-openapi wrote no operation for ${route.method} ${route.path}`);
    const item = paths[route.path] ?? {};
    paths[route.path] = item;
    item[method] = { ...operation, security: SECURITY[route.auth], responses: responsesOf(route, operation) };
  }
  // The generator registers one schema per error code; every error uses ErrorBody instead.
  const schemas = Object.fromEntries(
    Object.entries(generated.components?.schemas ?? {}).filter(([name]) => !name.startsWith("error.")),
  );
  // errorBodySchema carries the id ErrorBody: createSchema answers a $ref to it and puts the schema in `components`.
  const errorBody = createSchema(errorBodySchema).components;
  const document: OpenAPIObject = {
    ...generated,
    info: { ...generated.info, license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" } },
    paths,
    components: { ...generated.components, schemas: { ...schemas, ...errorBody } },
  };
  return { document, routes };
}

function responsesOf(route: RestRoute, operation: Operation): Operation["responses"] {
  const success = operation.responses["200"] ?? { description: "Successful response" };
  const responses: Operation["responses"] = {
    [route.successStatus]:
      route.successStatus === 204 ? { description: "No content" } : { ...success, description: "Successful response" },
  };
  for (const status of route.errorStatuses) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status] ?? "Error",
      ...(status === 401 && { headers: { "WWW-Authenticate": { schema: { type: "string", example: "Bearer" } } } }),
      ...(status === 429 && { headers: { "Retry-After": { schema: { type: "integer" } } } }),
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
    };
  }
  return responses;
}
