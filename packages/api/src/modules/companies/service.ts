import { TRPCError } from "@trpc/server";
import { and, eq, or, type SQL, sql } from "drizzle-orm";
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
  // Still the owner when the row is written: a transfer accepted meanwhile hands the company to someone else.
  const [row] = await db
    .update(companies)
    .set({ ...changes, updated_at: sql`case when ${or(...differences)} then now() else ${companies.updated_at} end` })
    .where(and(eq(companies.id, companyId), eq(companies.owner_id, callerId)))
    .returning();
  if (!row) throw await ownerGone(db, companyId, "Only company owner can update the company");
  return toCompanyDetail(row);
}

/** The statement found no row of the caller's: 403 when the company now has another owner, 404 when it is gone. */
async function ownerGone(db: Database, companyId: string, message: string): Promise<TRPCError> {
  const [row] = await db.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId));
  return row
    ? new TRPCError({ code: "FORBIDDEN", message })
    : new TRPCError({ code: "NOT_FOUND", message: "Company not found" });
}

/** Members, invitations and join requests go with it (ON DELETE CASCADE). */
export async function deleteCompany(db: Database, callerId: string, companyId: string): Promise<void> {
  const message = "Only company owner can delete the company";
  await requireOwner(db, companyId, callerId, message);
  const deleted = await db
    .delete(companies)
    .where(and(eq(companies.id, companyId), eq(companies.owner_id, callerId)))
    .returning({ id: companies.id });
  if (deleted.length === 0) throw await ownerGone(db, companyId, message);
}
