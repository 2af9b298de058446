import { z } from "zod";
import type { NotFoundIssueParams } from "./trpc.js";

/*
 * Contract pieces shared by every module.
 *
 * trpc-to-openapi switches on `z.coerce` for plain number and boolean fields of every REST input, JSON bodies included,
 * and mutates the schema for tRPC too ("no" would become true). It leaves pipes alone, so numbers and booleans in
 * inputs are declared through the pipes below.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_NUL = /^[^\u0000]*$/;

/** Any text input: PostgreSQL text cannot hold U+0000, so it is a 422 here rather than a 500 later (D11). */
export const text = () => z.string().regex(NO_NUL, "must not contain the NUL character");

/** A boolean in a JSON body: true or false only. */
export const jsonBoolean = () => z.boolean().pipe(z.boolean());

/** A UUID in the path: a malformed one answers 404 with `notFoundMessage`, as an unknown id would (D6). */
export const pathId = (notFoundMessage: string) =>
  z
    .string()
    .refine((value) => UUID.test(value), { params: { notFound: notFoundMessage } satisfies NotFoundIssueParams })
    .transform((value) => value.toLowerCase())
    .meta({ format: "uuid" });

/** A UUID in a body. */
export const uuid = () => z.uuid();

/**
 * A query integer: digits only ("1.5", "2e1", "abc" are 422, never parsed leniently). REST sends it as text, tRPC
 * callers as a number; it is typed as the number (a preprocess would type it `unknown` in the SDK).
 */
const queryInteger = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && /^\d{1,10}$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  ) as unknown as z.ZodType<number, number>;

export const MAX_SKIP = 2_147_483_647;

export const pagination = (defaultLimit = 100, maxLimit = 100) => ({
  skip: queryInteger(0, MAX_SKIP).default(0).meta({ description: "Rows to skip", example: 0 }),
  limit: queryInteger(1, maxLimit)
    .default(defaultLimit)
    .meta({ description: `Page size (1…${maxLimit})`, example: defaultLimit }),
});

/** ISO-8601 UTC with milliseconds and `Z` (D9); services fill it with `Date.toISOString()`. */
export const timestamp = () => z.iso.datetime();

export const errorIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

/** Every error answer: `detail` is always a string; `issues` lists the fields of a validation error. */
export const errorBodySchema = z
  .object({
    detail: z.string(),
    code: z.string(),
    issues: z.array(errorIssueSchema).optional(),
  })
  .meta({ id: "ErrorBody" });
