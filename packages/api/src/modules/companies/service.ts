import { TRPCError } from "@trpc/server";
import { desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { type CompanyRow, companies } from "../../db/schema.js";
import { requireOwner, requireVisibleCompany } from "./access.js";
import type { CompanyDetail, CompanyList, CompanyPatch, CreateCompanyInput, Page } from "./schemas.js";

const toCompanyDetail = (row: CompanyRow): CompanyDetail => ({
  ...row,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export async function createCompany(db: Database, ownerId: string, input: CreateCompanyInput): Promise<CompanyDetail> {
  const [row] = await db
    .insert(companies)
    .values({ name: input.name, description: input.description ?? null, owner_id: ownerId })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return toCompanyDetail(row);
}

// A literal predicate, not `is_visible = $1`: a parameter would keep a generic plan off the partial index.
const visible = sql`${companies.is_visible}`;

/** The public directory: visible companies only, hidden ones left out even for their owner (D25). */
export async function listCompanies(db: Database, page: Page): Promise<CompanyList> {
  const [rows, total] = await Promise.all([
    db
      .select({
        id: companies.id,
        name: companies.name,
        description: companies.description,
        is_visible: companies.is_visible,
        owner_id: companies.owner_id,
      })
      .from(companies)
      .where(visible)
      .orderBy(desc(companies.created_at), desc(companies.id))
      .limit(page.limit)
      .offset(page.skip),
    db.$count(companies, visible),
  ]);
  return { companies: rows, total };
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
  const differences: SQL[] = [];
  if (patch.name != null) {
    changes.name = patch.name;
    differences.push(isDistinct(companies.name, patch.name));
  }
  if (patch.description !== undefined) {
    changes.description = patch.description;
    differences.push(isDistinct(companies.description, patch.description));
  }
  if (patch.is_visible != null) {
    changes.is_visible = patch.is_visible;
    differences.push(isDistinct(companies.is_visible, patch.is_visible));
  }
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
