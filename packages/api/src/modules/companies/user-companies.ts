import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { union } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { companies, companyMembers } from "../../db/schema.js";
import { fetchPage, inWindow, type PageRequest } from "../../pagination.js";
import { requireUser } from "../users/service.js";
import { directoryColumns } from "./directory.js";
import type { CompanyList } from "./schemas.js";

/**
 * The companies a user owns or is a member of, each once, newest first. The user themselves sees hidden ones too;
 * everyone else only visible ones. The set is read through the owner index and the (user_id, company_id) unique index.
 */
export async function listUserCompanies(
  db: Database,
  viewerId: string | null,
  userId: string,
  page: PageRequest,
): Promise<CompanyList> {
  await requireUser(db, userId);
  const self = viewerId === userId;
  const related = union(
    db.select({ id: companies.id }).from(companies).where(eq(companies.owner_id, userId)),
    db.select({ id: companyMembers.company_id }).from(companyMembers).where(eq(companyMembers.user_id, userId)),
  );
  const filter: SQL | undefined = and(inArray(companies.id, related), self ? undefined : sql`${companies.is_visible}`);
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(page, `user-companies:${userId}:${self ? "all" : "visible"}`, (window) =>
      inWindow(db.select(directoryColumns).from(companies).$dynamic(), companies, filter, window),
    ),
    db.$count(companies, filter),
  ]);
  return { companies: rows, total, next_cursor };
}
