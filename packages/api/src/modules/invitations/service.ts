import type { Database } from "../../db/client.js";
import { companyInvitations } from "../../db/schema.js";
import { withIsoTimestamps } from "../../schemas.js";
import { requireCompany, requireOwner } from "../companies/access.js";
import { invitationKind } from "../membership-items/items.js";
import { openItem, transitionItem } from "../membership-items/transitions.js";
import { requireUser } from "../users/service.js";
import type { Invitation } from "./schemas.js";

/** The owner invites a user: an unknown user is 404, the owner themselves 409. */
export async function inviteUser(
  db: Database,
  ownerId: string,
  companyId: string,
  invitedUserId: string,
): Promise<Invitation> {
  await requireOwner(db, companyId, ownerId);
  const invitee = await requireUser(db, invitedUserId);
  const subject = await requireCompany(db, companyId, invitee.id);
  const row = await openItem(invitationKind, subject, () =>
    db
      .insert(companyInvitations)
      .values({ company_id: companyId, invited_user_id: invitee.id, invited_by_id: ownerId })
      .returning(),
  );
  return withIsoTimestamps(row);
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
