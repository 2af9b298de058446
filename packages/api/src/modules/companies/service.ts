import { TRPCError } from "@trpc/server";
import { count, desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { preparedPerDatabase } from "../../db/prepared.js";
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

const directoryPage = preparedPerDatabase((db) =>
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
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("skip"))
    .prepare("directory_page"),
);

/** The public directory: visible companies only, hidden ones left out even for their owner (D25). */
export async function listCompanies(db: Database, page: Page): Promise<CompanyList> {
  const [rows, total] = await Promise.all([directoryPage(db).execute(page), visibleCompanyCount(db)]);
  return { companies: rows, total };
}

/**
 * The list's `total`. A count reads every row it counts: an index-only scan of the partial index takes ~215 ms at
 * 900,000 visible companies (the planner prefers a parallel seq scan: ~350 ms), which would cap the list at a few
 * requests a second. Up to COUNT_BOUND rows the total is exact, from a count that stops at the bound (~3 ms);
 * beyond it, it is a count cached per database and refreshed in the background once it is COUNT_MAX_AGE_MS old,
 * so a directory that large shows a total up to that old. A counter table kept by triggers would stay exact, but
 * every create, delete and visibility change would queue on its one row.
 */
export const COUNT_BOUND = 10_000;
export const COUNT_MAX_AGE_MS = 10_000;

type CachedCount = { value: number; countedAt: number; refreshing: boolean };
const largeCounts = new WeakMap<Database, CachedCount>();
const countsInFlight = new WeakMap<Database, Promise<number>>();

const visibleCountUpToBound = preparedPerDatabase((db) =>
  db
    .select({ total: count() })
    .from(
      db
        .select({ id: companies.id })
        .from(companies)
        .where(visible)
        .limit(COUNT_BOUND + 1)
        .as("capped"),
    )
    .prepare("visible_count_up_to_bound"),
);

async function visibleCompanyCount(db: Database): Promise<number> {
  const cached = largeCounts.get(db);
  if (cached) {
    if (!cached.refreshing && Date.now() - cached.countedAt >= COUNT_MAX_AGE_MS) {
      cached.refreshing = true;
      // A failed refresh keeps the last value and is retried by a later request.
      countAllVisible(db).then(
        () => {},
        () => {
          cached.refreshing = false;
        },
      );
    }
    return cached.value;
  }
  const [row] = await visibleCountUpToBound(db).execute();
  const total = row?.total ?? 0;
  return total <= COUNT_BOUND ? total : countAllVisible(db);
}

/** The exact count, one at a time per database; past the bound it is cached, back under it the cache goes. */
function countAllVisible(db: Database): Promise<number> {
  let counting = countsInFlight.get(db);
  if (!counting) {
    counting = db.$count(companies, visible).then(
      (total) => {
        countsInFlight.delete(db);
        if (total > COUNT_BOUND) largeCounts.set(db, { value: total, countedAt: Date.now(), refreshing: false });
        else largeCounts.delete(db);
        return total;
      },
      (error: unknown) => {
        countsInFlight.delete(db);
        throw error;
      },
    );
    countsInFlight.set(db, counting);
  }
  return counting;
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
