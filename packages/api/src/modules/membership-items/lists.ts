import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { ItemStatus } from "../../db/schema.js";
import type { Page } from "../companies/schemas.js";
import type { ItemKind, ItemTable } from "./items.js";

export type StatusFilter = ItemStatus | "all";

/** A company's items, or a user's: newest first, with the total of the same filter (§1.3). */
export async function listItems<Table extends ItemTable>(
  db: Database,
  kind: ItemKind<Table>,
  owner: { companyId: string } | { userId: string },
  status: StatusFilter,
  page: Page,
): Promise<{ rows: Table["$inferSelect"][]; total: number }> {
  const table: ItemTable = kind.table;
  const where = and(
    "companyId" in owner ? eq(table.company_id, owner.companyId) : eq(kind.userColumn, owner.userId),
    status === "all" ? undefined : eq(table.status, status),
  );
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(table)
      .where(where)
      .orderBy(desc(table.created_at), desc(table.id))
      .limit(page.limit)
      .offset(page.skip),
    db.$count(table, where),
  ]);
  // The rows of `kind.table`: TypeScript loses that through the union of tables.
  return { rows: rows as Table["$inferSelect"][], total };
}
