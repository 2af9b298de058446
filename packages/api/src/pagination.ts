import { createHash } from "node:crypto";
import { and, desc, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgSelect } from "drizzle-orm/pg-core";
import { z } from "zod";
import { invalidInput } from "./errors.js";
import { isUuid, text } from "./schemas.js";

/*
 * Lists (docs/pagination.md): `skip`/`limit` as the original had them, plus an opaque `cursor` that starts the page
 * strictly after the row it names, so a page deep in a large list costs what the first page costs. Every list is in
 * `created_at desc, id desc` order, and a cursor is that key of the previous page's last row.
 */

/**
 * A query integer: digits only ("1.5", "2e1", "abc" are 422, never parsed leniently). REST sends it as text, tRPC
 * callers as a number; it is typed as the number (a preprocess would type it `unknown` in the SDK).
 */
export const queryInteger = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && /^\d{1,10}$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  ) as unknown as z.ZodType<number, number>;

export const MAX_SKIP = 2_147_483_647;

const pageFields = (defaultLimit: number, maxLimit: number) => ({
  skip: queryInteger(0, MAX_SKIP).default(0).meta({ description: "Rows to skip", example: 0 }),
  limit: queryInteger(1, maxLimit)
    .default(defaultLimit)
    .meta({ description: `Page size (1…${maxLimit})`, example: defaultLimit }),
  cursor: text()
    .optional()
    .meta({ description: "Start after the row this cursor names: a previous page's `next_cursor`; not with `skip`" }),
});

const pageRequestSchema = z.object(pageFields(100, 100));
export type PageRequest = z.output<typeof pageRequestSchema>;

/** A list's input: its own fields plus `skip`, `limit` and `cursor`. */
export function pageInput<Shape extends z.ZodRawShape>(shape: Shape, { defaultLimit = 100, maxLimit = 100 } = {}) {
  return z
    .object({ ...shape, ...pageFields(defaultLimit, maxLimit) })
    .refine((input) => (input as PageRequest).cursor === undefined || (input as PageRequest).skip === 0, {
      path: ["cursor"],
      message: "cannot be combined with skip",
    });
}

const pageMetaFields = {
  total: z.number().int(),
  next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
};

/** A list's body: `{ <key>: Item[], total, next_cursor }`, with the original's item key. */
export function pageOf<Key extends string, Item extends z.ZodType>(key: Key, item: Item) {
  const items = { [key]: z.array(item) } as Record<Key, z.ZodArray<Item>>;
  return z.object({ ...items, ...pageMetaFields });
}

/** The position a cursor names: the sort key of a row, its time with microseconds. */
export type SortKey = { at: string; id: string };

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * A row's sort time with microseconds: PostgreSQL keeps them, a Date does not, and a cursor cut to the millisecond
 * would skip the rows that share it.
 */
export const cursorAt = (column: AnyPgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows strictly after `key` in `created_at desc, id desc` order; an index on those columns serves it. */
const afterKey = (at: AnyPgColumn, id: AnyPgColumn, key: SortKey | undefined): SQL | undefined =>
  key && sql`(${at}, ${id}) < (${key.at}::timestamptz, ${key.id}::uuid)`;

/**
 * A list's query cut to one page window: the rows matching `where` after the window's cursor (or at its offset), in
 * `created_at desc, id desc` order of `keys` (a table, or the table a join is ordered by).
 */
export function inWindow<Query extends PgSelect>(
  query: Query,
  keys: { created_at: AnyPgColumn; id: AnyPgColumn },
  where: SQL | undefined,
  window: PageWindow,
): Query {
  return query
    .where(and(where, afterKey(keys.created_at, keys.id, window.after)))
    .orderBy(desc(keys.created_at), desc(keys.id))
    .limit(window.limit)
    .offset(window.offset);
}

/*
 * A cursor is the key as base64url JSON and a checksum of it together with the list's scope (its name and filter), so
 * an altered cursor, or one of another list or filter, is refused. No secret is needed: a cursor only says where a
 * page starts, and every request is checked against the caller's own filter and permissions anyway.
 */
const checksum = (scope: string, payload: string): string =>
  createHash("sha256").update(scope).update("\n").update(payload).digest("base64url").slice(0, 16);

export function encodeCursor(scope: string, key: SortKey): string {
  const payload = Buffer.from(JSON.stringify([key.at, key.id])).toString("base64url");
  return `${payload}.${checksum(scope, payload)}`;
}

export function decodeCursor(scope: string, cursor: string): SortKey {
  const [payload, check, ...rest] = cursor.split(".");
  if (payload && rest.length === 0 && check === checksum(scope, payload)) {
    const key = parseKey(Buffer.from(payload, "base64url").toString("utf8"));
    if (key) return key;
  }
  throw invalidInput(["cursor"], "Invalid cursor");
}

function parseKey(json: string): SortKey | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  if (typeof at !== "string" || typeof id !== "string" || !CURSOR_AT.test(at) || !isUuid(id)) return undefined;
  // A real instant (no 30 February): the date read back must give the same text to the millisecond.
  const parsed = new Date(`${at.slice(0, 23)}Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 23) !== at.slice(0, 23)
    ? undefined
    : { at, id };
}

export type PageWindow = { after: SortKey | undefined; limit: number; offset: number };

/**
 * One page of a list. `query` reads the rows of `window` (after the cursor's key, or at the offset), one more than the
 * page holds to tell whether another page follows, each with its `cursor_at`. `scope` names the list and its filter.
 */
export async function fetchPage<Row extends { id: string; cursor_at: string }>(
  request: PageRequest,
  scope: string,
  query: (window: PageWindow) => Promise<Row[]>,
): Promise<{ rows: Omit<Row, "cursor_at">[]; next_cursor: string | null }> {
  const after = request.cursor === undefined ? undefined : decodeCursor(scope, request.cursor);
  const found = await query({ after, limit: request.limit + 1, offset: after ? 0 : request.skip });
  const more = found.length > request.limit;
  const rows = more ? found.slice(0, request.limit) : found;
  const last = rows[rows.length - 1];
  return {
    rows: rows.map(({ cursor_at: _, ...row }) => row),
    next_cursor: more && last ? encodeCursor(scope, { at: last.cursor_at, id: last.id }) : null,
  };
}
