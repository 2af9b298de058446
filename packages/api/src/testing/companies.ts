import { asc, eq, or } from "drizzle-orm";
import type { Database } from "../db/client.js";
import {
  type CompanyRow,
  companies,
  companyInvitations,
  companyMembers,
  companyRequests,
  type InvitationStatus,
  type ItemStatus,
  users,
} from "../db/schema.js";
import { firstRow } from "../errors.js";

/*
 * Factories and row readers for the companies domain: tests set the scene straight in the tables (no endpoint
 * involved) and check afterwards what a request did, or did not, change.
 */

export async function insertCompany(
  db: Database,
  ownerId: string,
  overrides: Partial<Pick<CompanyRow, "name" | "description" | "is_visible" | "created_at">> = {},
): Promise<CompanyRow> {
  const rows = await db
    .insert(companies)
    .values({ name: "Test company", updated_at: overrides.created_at, ...overrides, owner_id: ownerId })
    .returning();
  return firstRow(rows);
}

export async function insertMember(
  db: Database,
  companyId: string,
  userId: string,
  overrides: { is_admin?: boolean; created_at?: Date } = {},
) {
  return firstRow(
    await db
      .insert(companyMembers)
      .values({ ...overrides, company_id: companyId, user_id: userId })
      .returning(),
  );
}

/**
 * What both kinds of item take. A `created_at` of its own (updated_at alike, as in a fresh row) fixes the list order
 * and lets a test see updated_at move whatever the clock's resolution.
 */
type ItemValues = { companyId: string; userId: string; status?: ItemStatus; created_at?: Date };

const itemColumns = (values: ItemValues) => ({
  company_id: values.companyId,
  status: values.status ?? "pending",
  ...(values.created_at && { created_at: values.created_at, updated_at: values.created_at }),
});

export async function insertInvitation(
  db: Database,
  values: Omit<ItemValues, "status"> & { invitedById: string; status?: InvitationStatus; expires_at?: Date },
) {
  const columns = {
    ...itemColumns({ ...values, status: undefined }),
    status: values.status ?? "pending",
    invited_user_id: values.userId,
    invited_by_id: values.invitedById,
    ...(values.expires_at && { expires_at: values.expires_at }),
  };
  return firstRow(await db.insert(companyInvitations).values(columns).returning());
}

export async function insertRequest(db: Database, values: ItemValues) {
  const columns = { ...itemColumns(values), user_id: values.userId };
  return firstRow(await db.insert(companyRequests).values(columns).returning());
}

/** Every row of one company's domain, in a fixed order: equal snapshots mean a request changed nothing. */
export async function companySnapshot(db: Database, companyId: string) {
  const [company, members, invitations, requests] = await Promise.all([
    db.select().from(companies).where(eq(companies.id, companyId)),
    db.select().from(companyMembers).where(eq(companyMembers.company_id, companyId)).orderBy(asc(companyMembers.id)),
    db
      .select()
      .from(companyInvitations)
      .where(eq(companyInvitations.company_id, companyId))
      .orderBy(asc(companyInvitations.id)),
    db.select().from(companyRequests).where(eq(companyRequests.company_id, companyId)).orderBy(asc(companyRequests.id)),
  ]);
  return { company: company[0], members, invitations, requests };
}

export async function invitationRow(db: Database, id: string) {
  const [row] = await db.select().from(companyInvitations).where(eq(companyInvitations.id, id));
  return row;
}

export async function requestRow(db: Database, id: string) {
  const [row] = await db.select().from(companyRequests).where(eq(companyRequests.id, id));
  return row;
}

/** Deletes a user row directly, as a superuser's delete would: everything else must go by cascade. */
export async function deleteUserRow(db: Database, userId: string): Promise<void> {
  await db.delete(users).where(eq(users.id, userId));
}

/** What still refers to a user anywhere in the companies domain, after a cascade should have removed it. */
export async function rowsReferringTo(db: Database, userId: string) {
  const [owned, memberships, invitations, requests] = await Promise.all([
    db.select().from(companies).where(eq(companies.owner_id, userId)),
    db.select().from(companyMembers).where(eq(companyMembers.user_id, userId)),
    db
      .select()
      .from(companyInvitations)
      .where(or(eq(companyInvitations.invited_user_id, userId), eq(companyInvitations.invited_by_id, userId))),
    db.select().from(companyRequests).where(eq(companyRequests.user_id, userId)),
  ]);
  return { owned, memberships, invitations, requests };
}
