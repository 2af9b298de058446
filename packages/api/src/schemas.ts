import { z } from "zod";

/*
 * Contract pieces shared by every module.
 *
 * trpc-to-openapi switches on `z.coerce` for plain number and boolean fields of every REST input, JSON bodies included,
 * and mutates the schema for tRPC too ("no" would become true). It leaves pipes alone, so numbers and booleans in
 * inputs are declared through pipes (see `jsonBoolean` here and the query integers in pagination.ts).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_NUL = /^[^\u0000]*$/;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Any text input: PostgreSQL text cannot hold U+0000, so it is a 422 here rather than a 500 later. */
export const text = () => z.string().regex(NO_NUL, "must not contain the NUL character");

/** A boolean in a JSON body: true or false only. */
export const jsonBoolean = () => z.boolean().pipe(z.boolean());

/** The marker a path-id schema puts on its issue: a malformed id is "not found", not a validation error. */
export type NotFoundIssueParams = { notFound: string };

/**
 * A UUID in the path: a malformed one answers 404 with `notFoundMessage`, as an unknown id would
 * (docs/differences.md#malformed-path-ids).
 */
export const pathId = (notFoundMessage: string) =>
  z
    .string()
    .refine(isUuid, { params: { notFound: notFoundMessage } satisfies NotFoundIssueParams })
    .transform((value) => value.toLowerCase())
    .meta({ format: "uuid" });

/** A UUID in a body. */
export const uuid = () => z.uuid();

/** ISO-8601 UTC with milliseconds and `Z`; services fill it with `Date.toISOString()` (see withIsoTimestamps). */
export const timestamp = () => z.iso.datetime();

/** A row's two timestamps on the wire. */
export const rowTimestamps = () => ({ created_at: timestamp(), updated_at: timestamp() });

type Timestamped = { created_at: Date; updated_at: Date };
export type WithIsoTimestamps<Row extends Timestamped> = Omit<Row, keyof Timestamped> & {
  created_at: string;
  updated_at: string;
};

/** A row on the wire: its two timestamps as ISO strings. Pick the columns first: every other one is copied. */
export const withIsoTimestamps = <Row extends Timestamped>(row: Row): WithIsoTimestamps<Row> => ({
  ...row,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export const errorIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

/** Every error answer: `detail` is always a string; `issues` lists the fields of a validation error. */
export const errorBodySchema = z
  .object({
    detail: z.string(),
    code: z.string(),
    issues: z.array(errorIssueSchema).optional(),
  })
  .meta({ id: "ErrorBody" });
export type ErrorBody = z.infer<typeof errorBodySchema>;
