import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { preparedPerDatabase } from "../../db/prepared.js";
import { type CompanyRow, companies, companyMembers } from "../../db/schema.js";

/**
 * What a user is to a company. The owner has no member row (docs/differences.md#the-owner-is-not-a-member); an admin
 * is a member row with `is_admin`.
 */
export type CompanyRole = "owner" | "admin" | "member";

export type CompanyAccess = { company: CompanyRow; role: CompanyRole | null };

const OWNER_ONLY = "Only company owner can perform this action";
const MANAGERS_ONLY = "Only company owner or admin can perform this action";

/** Owners and admins manage quizzes; everything else stays with the owner. */
export const isManager = (role: CompanyRole | null): boolean => role === "owner" || role === "admin";

const companyNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Company not found" });

const companyWithMembership = preparedPerDatabase((db) =>
  db
    .select({ company: companies, is_admin: companyMembers.is_admin })
    .from(companies)
    .leftJoin(
      companyMembers,
      and(eq(companyMembers.company_id, companies.id), eq(companyMembers.user_id, sql.placeholder("userId"))),
    )
    .where(eq(companies.id, sql.placeholder("companyId")))
    .limit(1)
    .prepare("company_with_membership"),
);

/** The company and the user's role in it, in one query; undefined for an unknown company. */
async function companyAccess(
  db: Database,
  companyId: string,
  userId: string | null,
): Promise<CompanyAccess | undefined> {
  // An anonymous viewer (null) matches no member row: `user_id = NULL` is never true.
  const [row] = await companyWithMembership(db).execute({ companyId, userId });
  if (!row) return undefined;
  return { company: row.company, role: roleOf(row.company, userId, row.is_admin) };
}

function roleOf(company: CompanyRow, userId: string | null, isAdmin: boolean | null): CompanyRole | null {
  if (userId !== null && company.owner_id === userId) return "owner";
  if (isAdmin === null) return null;
  return isAdmin ? "admin" : "member";
}

/** The company, or 404. Permissions are the caller's business. */
export async function requireCompany(db: Database, companyId: string, userId: string | null): Promise<CompanyAccess> {
  const access = await companyAccess(db, companyId, userId);
  if (!access) throw companyNotFound();
  return access;
}

/**
 * Reads: a hidden company exists only for its owner and members; anyone else gets the unknown id's 404
 * (docs/differences.md#hidden-companies).
 */
export async function requireVisibleCompany(
  db: Database,
  companyId: string,
  viewerId: string | null,
): Promise<CompanyAccess> {
  const access = await requireCompany(db, companyId, viewerId);
  if (!access.company.is_visible && access.role === null) throw companyNotFound();
  return access;
}

/**
 * Owner-only routes: 404 for an unknown company only, then 403 for anyone but the owner, hidden company or not
 * (visibility hides companies from reads, not from the permission check).
 */
export async function requireOwner(
  db: Database,
  companyId: string,
  userId: string,
  message: string = OWNER_ONLY,
): Promise<CompanyRow> {
  const access = await requireCompany(db, companyId, userId);
  if (access.role !== "owner") throw new TRPCError({ code: "FORBIDDEN", message });
  return access.company;
}

/** Manager routes (quizzes, resending invitations): 404 for an unknown company only, then 403 for anyone but the owner or an admin. */
export async function requireManager(db: Database, companyId: string, userId: string): Promise<CompanyAccess> {
  const access = await requireCompany(db, companyId, userId);
  if (!isManager(access.role)) throw new TRPCError({ code: "FORBIDDEN", message: MANAGERS_ONLY });
  return access;
}
