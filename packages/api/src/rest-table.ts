import type { AnyTRPCProcedure, AnyTRPCRouter } from "@trpc/server";
import { ZodObject, ZodOptional, type ZodType, ZodVoid } from "zod";
import type { Auth, Meta } from "./trpc.js";

/** One REST operation and the procedure behind it. */
export type RestRoute = {
  procedurePath: string;
  type: "query" | "mutation";
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** As clients call it and the document lists it: `/companies/` (a collection), `/companies/{company_id}`… */
  path: string;
  auth: Auth;
  successStatus: 200 | 201 | 204;
  /** Every error status the operation can answer, ascending. */
  errorStatuses: number[];
  /** A JSON body is read (POST/PUT with fields beyond the path's); other routes ignore whatever is sent. */
  takesBody: boolean;
  /** False for procedures without input (`z.void()`): they are called with none at all. */
  takesInput: boolean;
};

/**
 * The REST side of the router, read once at start from each procedure's meta and input schema: the bridge routes by
 * it and the OpenAPI document is written from it, so the two cannot disagree. tRPC has no public listing of a
 * router's procedures; this is the one place that reads its `_def`.
 */
export function restTable(router: AnyTRPCRouter): RestRoute[] {
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
  const routes: RestRoute[] = [];
  for (const [procedurePath, procedure] of Object.entries(procedures)) {
    const { meta, inputs, type } = procedure._def as unknown as { meta?: Meta; inputs: ZodType[]; type: string };
    if (!meta?.openapi || (type !== "query" && type !== "mutation")) continue;
    const method = meta.openapi.method as RestRoute["method"];
    const path = meta.openapi.path;
    const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
    const fields = inputFields(inputs[0]);
    const queryOrBodyFields = fields.filter((field) => !pathParameters.includes(field));
    const takesBody = (method === "POST" || method === "PUT") && queryOrBodyFields.length > 0;
    const auth = meta.auth ?? "none";
    const statuses = new Set([
      500,
      503,
      ...(meta.errorStatuses ?? []),
      ...(auth === "required" ? [401, 403] : []),
      ...(queryOrBodyFields.length > 0 ? [422] : []),
      ...(pathParameters.length > 0 ? [404] : []),
      ...(takesBody ? [400, 413, 415] : []),
    ]);
    routes.push({
      procedurePath,
      type,
      method,
      path,
      auth,
      successStatus: meta.successStatus ?? 200,
      errorStatuses: [...statuses].sort((a, b) => a - b),
      takesBody,
      takesInput: inputs[0] !== undefined && !(inputs[0] instanceof ZodVoid),
    });
  }
  return routes;
}

/** The field names of a procedure's input object (optional or not); none for no input. */
function inputFields(input: ZodType | undefined): string[] {
  const object = input instanceof ZodOptional ? input.unwrap() : input;
  return object instanceof ZodObject ? Object.keys(object.shape) : [];
}
