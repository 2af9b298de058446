import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { ItemStatus } from "../../db/schema.js";
import { afterKey, cursorAt, fetchPage, type PageRequest } from "../../pagination.js";
import { withIsoTimestamps } from "../../schemas.js";
import { requireOwner } from "../companies/access.js";
import type { ItemKind, ItemTable } from "./items.js";

export type StatusFilter = ItemStatus | "all";

/** Whose items a list shows: a company's (for its owner only) or the caller's own. */
export type ItemOwner = { companyId: string; ownerId: string } | { userId: string };

/** A company's items, or a user's: newest first, with the total of the same filter. */
export async function listItems<Table extends ItemTable>(
  db: Database,
  kind: ItemKind<Table>,
  owner: ItemOwner,
  status: StatusFilter,
  page: PageRequest,
) {
  if ("companyId" in owner) await requireOwner(db, owner.companyId, owner.ownerId);
  const table: ItemTable = kind.table;
  const where = and(
    "companyId" in owner ? eq(table.company_id, owner.companyId) : eq(kind.userColumn, owner.userId),
    status === "all" ? undefined : eq(table.status, status),
  );
  const scope = `${kind.name}:${"companyId" in owner ? `company:${owner.companyId}` : `user:${owner.userId}`}:${status}`;
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(page, scope, (window) =>
      db
        .select({ row: table, id: table.id, cursor_at: cursorAt(table.created_at) })
        .from(table)
        .where(and(where, afterKey(table.created_at, table.id, window.after)))
        .orderBy(desc(table.created_at), desc(table.id))
        .limit(window.limit)
        .offset(window.offset),
    ),
    db.$count(table, where),
  ]);
  // The rows of `kind.table`: TypeScript loses that through the union of tables.
  return { rows: rows.map(({ row }) => withIsoTimestamps(row as Table["$inferSelect"])), total, next_cursor };
}
