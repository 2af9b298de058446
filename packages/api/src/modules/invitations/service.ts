import { TRPCError } from "@trpc/server";
import { and, eq, lte, sql } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import type { Database } from "../../db/client.js";
import { companies, companyInvitations, companyMembers } from "../../db/schema.js";
import { conflict, firstRow, onViolation } from "../../errors.js";
import { requireCompany, requireManager, requireOwner } from "../companies/access.js";
import { invitationKind } from "../membership-items/items.js";
import { itemOnWire } from "../membership-items/lists.js";
import { lockPair, openItem, transitionItem } from "../membership-items/transitions.js";
import { requireUser } from "../users/service.js";
import type { Invitation } from "./schemas.js";

type InvitationDeps = Pick<AppDeps, "config" | "db">;

/** Now plus the invitation lifetime, on the database's clock: the clock every expiry check reads. */
const expiresIn = (hours: number) => sql<Date>`now() + make_interval(hours => ${hours}::int)`;

/**
 * The owner invites a user: an unknown user is 404, the owner themselves 409. The pair's expired pending invitations
 * are settled first, in the same transaction, so they never block the new one and the partial unique index still
 * keeps concurrent re-invitations to one pending invitation.
 */
export async function inviteUser(
  deps: InvitationDeps,
  ownerId: string,
  companyId: string,
  invitedUserId: string,
): Promise<Invitation> {
  const { db } = deps;
  await requireOwner(db, companyId, ownerId);
  const invitee = await requireUser(db, invitedUserId);
  const subject = await requireCompany(db, companyId, invitee.id);
  const row = await db.transaction(async (tx) => {
    await settleExpired(tx, companyId, invitee.id);
    return openItem(invitationKind, subject, () =>
      tx
        .insert(companyInvitations)
        .values({
          company_id: companyId,
          invited_user_id: invitee.id,
          invited_by_id: ownerId,
          expires_at: expiresIn(deps.config.invitationTtlHours),
        })
        .returning(),
    );
  });
  return itemOnWire(row);
}

/**
 * A manager gives a pending or expired invitation a fresh lifetime; it is pending again. The pair is locked as an
 * accept locks it, so a resend cannot revive an invitation whose user is becoming a member meanwhile.
 */
export async function resendInvitation(
  deps: InvitationDeps,
  callerId: string,
  companyId: string,
  invitationId: string,
): Promise<Invitation> {
  await requireManager(deps.db, companyId, callerId);
  const row = await deps.db.transaction(async (tx) => {
    const ofCompany = and(eq(companyInvitations.id, invitationId), eq(companyInvitations.company_id, companyId));
    const [found] = await tx
      .select({ userId: companyInvitations.invited_user_id })
      .from(companyInvitations)
      .where(ofCompany);
    if (found) await lockPair(tx, companyId, found.userId);
    const [item] = await tx.select().from(companyInvitations).where(ofCompany).for("update");
    if (!item) throw new TRPCError({ code: "NOT_FOUND", message: invitationKind.messages.notFound });
    if (item.status !== "pending" && item.status !== "expired") {
      throw new TRPCError({ code: "CONFLICT", message: "Can only resend pending or expired invitations" });
    }
    if (await isMemberOrOwner(tx, companyId, item.invited_user_id)) {
      throw new TRPCError({ code: "CONFLICT", message: "User is already a member" });
    }
    await settleExpired(tx, companyId, item.invited_user_id);
    const updated = await onViolation(
      () =>
        tx
          .update(companyInvitations)
          .set({ status: "pending", expires_at: expiresIn(deps.config.invitationTtlHours), updated_at: sql`now()` })
          .where(eq(companyInvitations.id, invitationId))
          .returning(),
      // A newer pending invitation of the pair exists: this one was settled as expired when it was sent.
      { company_invitations_one_pending_key: conflict("Invitation already sent") },
    );
    return firstRow(updated);
  });
  return itemOnWire(row);
}

/** The pair's pending invitations past their expiry are written `expired`: they no longer hold the pending slot. */
async function settleExpired(db: Database, companyId: string, userId: string): Promise<void> {
  await db
    .update(companyInvitations)
    .set({ status: "expired", updated_at: sql`now()` })
    .where(
      and(
        eq(companyInvitations.company_id, companyId),
        eq(companyInvitations.invited_user_id, userId),
        eq(companyInvitations.status, "pending"),
        lte(companyInvitations.expires_at, sql`now()`),
      ),
    );
}

async function isMemberOrOwner(db: Database, companyId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ owner_id: companies.owner_id, member: companyMembers.id })
    .from(companies)
    .leftJoin(companyMembers, and(eq(companyMembers.company_id, companies.id), eq(companyMembers.user_id, userId)))
    .where(eq(companies.id, companyId));
  return row !== undefined && (row.owner_id === userId || row.member !== null);
}

/** The owner withdraws a pending (or expired) invitation of their company. */
export async function cancelInvitation(
  db: Database,
  ownerId: string,
  companyId: string,
  invitationId: string,
): Promise<void> {
  await requireOwner(db, companyId, ownerId);
  await transitionItem(db, invitationKind, "cancel", invitationId, { companyId });
}

/** Only the invitee may answer: anyone else's invitation is "not found". */
export async function answerInvitation(
  db: Database,
  inviteeId: string,
  invitationId: string,
  answer: "accept" | "decline",
): Promise<void> {
  await transitionItem(db, invitationKind, answer, invitationId, { userId: inviteeId });
}
