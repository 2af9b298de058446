import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { companyInvitations, users } from "../../db/schema.js";
import { requireCompany, requireOwner } from "../companies/access.js";
import type { Page } from "../companies/schemas.js";
import { invitationKind } from "../memberships/items.js";
import { listItems, type StatusFilter } from "../memberships/lists.js";
import { itemToWire } from "../memberships/schemas.js";
import { openItem, transitionItem } from "../memberships/transitions.js";
import type { Invitation, InvitationList } from "./schemas.js";

/** The owner invites a user (D28: an unknown user is 404; D29: not the owner). */
export async function inviteUser(
  db: Database,
  ownerId: string,
  companyId: string,
  invitedUserId: string,
): Promise<Invitation> {
  await requireOwner(db, companyId, ownerId);
  const [invitee] = await db.select({ id: users.id }).from(users).where(eq(users.id, invitedUserId)).limit(1);
  if (!invitee) throw new TRPCError({ code: "NOT_FOUND", message: "User not found" });
  const subject = await requireCompany(db, companyId, invitee.id);
  const row = await openItem(invitationKind, subject, () =>
    db
      .insert(companyInvitations)
      .values({ company_id: companyId, invited_user_id: invitedUserId, invited_by_id: ownerId })
      .returning(),
  );
  return itemToWire(row);
}

export async function listCompanyInvitations(
  db: Database,
  ownerId: string,
  companyId: string,
  status: StatusFilter,
  page: Page,
): Promise<InvitationList> {
  await requireOwner(db, companyId, ownerId);
  const { rows, total } = await listItems(db, invitationKind, { companyId }, status, page);
  return { invitations: rows.map(itemToWire), total };
}

export async function listMyInvitations(
  db: Database,
  userId: string,
  status: StatusFilter,
  page: Page,
): Promise<InvitationList> {
  const { rows, total } = await listItems(db, invitationKind, { userId }, status, page);
  return { invitations: rows.map(itemToWire), total };
}

/** The owner withdraws a pending invitation of their company. */
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
