import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { companies, companyMembers, users } from "../../db/schema.js";
import { cursorAt, fetchPage, inWindow, type PageRequest } from "../../pagination.js";
import { withIsoTimestamps } from "../../schemas.js";
import { requireOwner, requireVisibleCompany } from "../companies/access.js";
import { cancelTransfersTo } from "../transfers/service.js";
import type { MemberList } from "./schemas.js";

/**
 * A company's members (the owner has no row and is not listed), or only its admins, newest first, usernames joined
 * in. The admins' filter is a literal predicate so the partial index on admin rows serves it.
 */
export async function listMembers(
  db: Database,
  viewerId: string | null,
  companyId: string,
  page: PageRequest,
  { adminsOnly = false } = {},
): Promise<MemberList> {
  await requireVisibleCompany(db, companyId, viewerId);
  const ofCompany = and(
    eq(companyMembers.company_id, companyId),
    adminsOnly ? sql`${companyMembers.is_admin}` : undefined,
  );
  const scope = `${adminsOnly ? "admins" : "members"}:${companyId}`;
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(page, scope, (window) =>
      inWindow(
        db
          .select({
            id: companyMembers.id,
            user_id: companyMembers.user_id,
            company_id: companyMembers.company_id,
            username: users.username,
            is_admin: companyMembers.is_admin,
            created_at: companyMembers.created_at,
            updated_at: companyMembers.updated_at,
            cursor_at: cursorAt(companyMembers.created_at),
          })
          .from(companyMembers)
          .innerJoin(users, eq(users.id, companyMembers.user_id))
          .$dynamic(),
        companyMembers,
        ofCompany,
        window,
      ),
    ),
    db.$count(companyMembers, ofCompany),
  ]);
  const members = rows.map((row) => ({ ...withIsoTimestamps(row), joined_at: row.created_at.toISOString() }));
  return { members, total, next_cursor };
}

/** The caller leaves; their row goes, admin status included, so rejoining starts afresh. */
export async function leaveCompany(db: Database, userId: string, companyId: string): Promise<void> {
  const { role } = await requireVisibleCompany(db, companyId, userId);
  if (role === "owner") throw new TRPCError({ code: "CONFLICT", message: "Company owner cannot leave the company" });
  if (!(await deleteMembership(db, companyId, userId))) {
    throw new TRPCError({ code: "NOT_FOUND", message: "You are not a member of this company" });
  }
}

export async function removeMember(db: Database, ownerId: string, companyId: string, userId: string): Promise<void> {
  const company = await requireOwner(db, companyId, ownerId);
  if (userId === company.owner_id) {
    throw new TRPCError({ code: "CONFLICT", message: "Company owner cannot be removed" });
  }
  if (!(await deleteMembership(db, companyId, userId))) {
    throw new TRPCError({ code: "NOT_FOUND", message: "Member not found" });
  }
}

/**
 * Deletes the row and cancels a pending ownership transfer to that user, in one transaction. The company row is
 * locked first (shared), the order a transfer's accept takes, so a leave and an accept queue instead of deadlocking.
 */
async function deleteMembership(db: Database, companyId: string, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId)).for("key share");
    const deleted = await tx
      .delete(companyMembers)
      .where(and(eq(companyMembers.company_id, companyId), eq(companyMembers.user_id, userId)))
      .returning({ id: companyMembers.id });
    if (deleted.length === 0) return false;
    await cancelTransfersTo(tx, companyId, userId);
    return true;
  });
}

/**
 * Promote or demote a member (owner only). The role changes in one conditional UPDATE, so racing promotions end with
 * one 204 and the rest 409; a row it did not change is then told apart: missing (404) or already in that role (409).
 */
export async function setAdmin(
  db: Database,
  ownerId: string,
  companyId: string,
  userId: string,
  isAdmin: boolean,
): Promise<void> {
  const company = await requireOwner(db, companyId, ownerId);
  if (userId === company.owner_id) {
    throw new TRPCError({ code: "CONFLICT", message: "Company owner cannot be promoted or demoted" });
  }
  const ofMember = and(eq(companyMembers.company_id, companyId), eq(companyMembers.user_id, userId));
  const changed = await db
    .update(companyMembers)
    .set({ is_admin: isAdmin, updated_at: sql`now()` })
    .where(and(ofMember, eq(companyMembers.is_admin, !isAdmin)))
    .returning({ id: companyMembers.id });
  if (changed.length > 0) return;
  const [row] = await db.select({ id: companyMembers.id }).from(companyMembers).where(ofMember).limit(1);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Member not found" });
  throw new TRPCError({ code: "CONFLICT", message: isAdmin ? "User is already an admin" : "User is not an admin" });
}
