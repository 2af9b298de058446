import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { ItemStatus } from "../../db/schema.js";
import { cursorAt, fetchPage, inWindow, type PageRequest } from "../../pagination.js";
import { type WithIsoTimestamps, withIsoTimestamps } from "../../schemas.js";
import { requireOwner } from "../companies/access.js";
import type { ItemKind, ItemTable } from "./items.js";

export type StatusFilter = ItemStatus | "all";

/** A list's input: with `company_id` the company's items (its owner only), without it the caller's own. */
export type ItemListInput = PageRequest & { status: StatusFilter; company_id?: string };

type ItemList<Table extends ItemTable, ListKey extends string> = Record<
  ListKey,
  WithIsoTimestamps<Table["$inferSelect"]>[]
> & { total: number; next_cursor: string | null };

/** A company's items, or the caller's: newest first, with the total of the same filter. */
export async function listItems<Table extends ItemTable, ListKey extends string>(
  db: Database,
  kind: ItemKind<Table, ListKey>,
  callerId: string,
  input: ItemListInput,
): Promise<ItemList<Table, ListKey>> {
  const companyId = input.company_id;
  if (companyId !== undefined) await requireOwner(db, companyId, callerId);
  const table: ItemTable = kind.table;
  const where = and(
    companyId !== undefined ? eq(table.company_id, companyId) : eq(kind.userColumn, callerId),
    input.status === "all" ? undefined : eq(table.status, input.status),
  );
  const scope = `${kind.listKey}:${companyId !== undefined ? `company:${companyId}` : `user:${callerId}`}:${input.status}`;
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(input, scope, (window) =>
      inWindow(
        db
          .select({ row: table, id: table.id, cursor_at: cursorAt(table.created_at) })
          .from(table)
          .$dynamic(),
        table,
        where,
        window,
      ),
    ),
    db.$count(table, where),
  ]);
  // The rows of `kind.table`: TypeScript loses that through the union of tables.
  const items = rows.map(({ row }) => withIsoTimestamps(row as Table["$inferSelect"]));
  return { [kind.listKey]: items, total, next_cursor } as ItemList<Table, ListKey>;
}
