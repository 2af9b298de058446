import { eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { companies, ownershipTransfers, type TransferStatus } from "../db/schema.js";
import { firstRow } from "../errors.js";

/** A transfer straight in the table: pending for 48 hours unless told otherwise. */
export async function insertTransfer(
  db: Database,
  values: { companyId: string; fromUserId: string; toUserId: string; status?: TransferStatus; expires_at?: Date },
) {
  const rows = await db
    .insert(ownershipTransfers)
    .values({
      company_id: values.companyId,
      from_user_id: values.fromUserId,
      to_user_id: values.toUserId,
      status: values.status ?? "pending",
      expires_at: values.expires_at ?? new Date(Date.now() + 48 * 3_600_000),
    })
    .returning();
  return firstRow(rows);
}

export async function transferRow(db: Database, id: string) {
  const [row] = await db.select().from(ownershipTransfers).where(eq(ownershipTransfers.id, id));
  return row;
}

/** The company's owner right now, or undefined when the company is gone. */
export async function ownerOf(db: Database, companyId: string): Promise<string | undefined> {
  const [row] = await db.select({ owner_id: companies.owner_id }).from(companies).where(eq(companies.id, companyId));
  return row?.owner_id;
}
