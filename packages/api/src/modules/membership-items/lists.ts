import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { InvitationStatus } from "../../db/schema.js";
import { cursorAt, fetchPage, inWindow, type PageRequest } from "../../pagination.js";
import { type WithIsoTimestamps, withIsoTimestamps } from "../../schemas.js";
import { requireOwner } from "../companies/access.js";
import { type ItemKind, type ItemTable, readStatus, statusIs } from "./items.js";

export type StatusFilter = InvitationStatus | "all";

/** A list's input: with `company_id` the company's items (its owner only), without it the caller's own. */
export type ItemListInput = PageRequest & { status: StatusFilter; company_id?: string };

/** An item on the wire: ISO timestamps (`expires_at` too, where the kind has it). */
export type WireItem<Row extends ItemTable["$inferSelect"]> = Omit<WithIsoTimestamps<Row>, "expires_at"> &
  (Row extends { expires_at: Date } ? { expires_at: string } : unknown);

type ItemList<Table extends ItemTable, ListKey extends string> = Record<ListKey, WireItem<Table["$inferSelect"]>[]> & {
  total: number;
  next_cursor: string | null;
};

/** A row on the wire, its status as read now (an invitation pending past its expiry is `expired`). */
export function itemOnWire<Row extends ItemTable["$inferSelect"]>(
  row: Row,
  status: string = row.status,
): WireItem<Row> {
  const wire = { ...withIsoTimestamps(row), status } as Record<string, unknown>;
  if ("expires_at" in row && row.expires_at instanceof Date) wire.expires_at = row.expires_at.toISOString();
  return wire as WireItem<Row>;
}

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
    input.status === "all" ? undefined : statusIs(kind, input.status),
  );
  const scope = `${kind.listKey}:${companyId !== undefined ? `company:${companyId}` : `user:${callerId}`}:${input.status}`;
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(input, scope, (window) =>
      inWindow(
        db
          .select({ row: table, status: readStatus(kind), id: table.id, cursor_at: cursorAt(table.created_at) })
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
  const items = rows.map(({ row, status }) => itemOnWire(row as Table["$inferSelect"], status));
  return { [kind.listKey]: items, total, next_cursor } as ItemList<Table, ListKey>;
}
