import { TRPCError } from "@trpc/server";
import { eq, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { type CompanyRow, companies } from "../../db/schema.js";
import { firstRow } from "../../errors.js";
import { withIsoTimestamps } from "../../schemas.js";
import { requireOwner, requireVisibleCompany } from "./access.js";
import type { CompanyDetail, CompanyPatch, CreateCompanyInput } from "./schemas.js";

export const toCompanyDetail = (row: CompanyRow): CompanyDetail => withIsoTimestamps(row);

export async function createCompany(db: Database, ownerId: string, input: CreateCompanyInput): Promise<CompanyDetail> {
  const rows = await db
    .insert(companies)
    .values({
      name: input.name,
      description: input.description ?? null,
      is_visible: input.is_visible ?? true,
      owner_id: ownerId,
    })
    .returning();
  return toCompanyDetail(firstRow(rows));
}

export async function getCompany(db: Database, companyId: string, viewerId: string | null): Promise<CompanyDetail> {
  const { company } = await requireVisibleCompany(db, companyId, viewerId);
  return toCompanyDetail(company);
}

const isDistinct = (column: AnyPgColumn, value: unknown): SQL => sql`${column} is distinct from ${value}`;

/** A partial update; `updated_at` moves only when a column really changes. */
export async function updateCompany(
  db: Database,
  callerId: string,
  companyId: string,
  patch: CompanyPatch,
): Promise<CompanyDetail> {
  const company = await requireOwner(db, companyId, callerId, "Only company owner can update the company");
  const changes: Partial<Pick<CompanyRow, "name" | "description" | "is_visible">> = {};
  if (patch.name != null) changes.name = patch.name;
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.is_visible != null) changes.is_visible = patch.is_visible;
  const differences = Object.entries(changes).map(([column, value]) =>
    isDistinct(companies[column as keyof typeof changes], value),
  );
  if (differences.length === 0) return toCompanyDetail(company);
  // Compared in the UPDATE itself, against the row it locks, so a concurrent update cannot make the answer stale.
  const [row] = await db
    .update(companies)
    .set({ ...changes, updated_at: sql`case when ${or(...differences)} then now() else ${companies.updated_at} end` })
    .where(eq(companies.id, companyId))
    .returning();
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Company not found" });
  return toCompanyDetail(row);
}

/** Members, invitations and join requests go with it (ON DELETE CASCADE). */
export async function deleteCompany(db: Database, callerId: string, companyId: string): Promise<void> {
  await requireOwner(db, companyId, callerId, "Only company owner can delete the company");
  const deleted = await db.delete(companies).where(eq(companies.id, companyId)).returning({ id: companies.id });
  if (deleted.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: "Company not found" });
}
