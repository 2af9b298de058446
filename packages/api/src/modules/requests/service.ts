import type { Database } from "../../db/client.js";
import { companyRequests } from "../../db/schema.js";
import { withIsoTimestamps } from "../../schemas.js";
import { requireOwner, requireVisibleCompany } from "../companies/access.js";
import { requestKind } from "../membership-items/items.js";
import { openItem, transitionItem } from "../membership-items/transitions.js";
import type { JoinRequest } from "./schemas.js";

/** A user asks to join: a company hidden from them is 404, their own company 409. */
export async function requestToJoin(db: Database, userId: string, companyId: string): Promise<JoinRequest> {
  const subject = await requireVisibleCompany(db, companyId, userId);
  const row = await openItem(requestKind, subject, () =>
    db.insert(companyRequests).values({ company_id: companyId, user_id: userId }).returning(),
  );
  return withIsoTimestamps(row);
}

/**
 * The requester withdraws their own pending request. Unknown, someone else's or another company's: all "Request not
 * found", which also keeps a hidden company's existence to itself.
 */
export async function cancelRequest(db: Database, userId: string, companyId: string, requestId: string): Promise<void> {
  await transitionItem(db, requestKind, "cancel", requestId, { companyId, userId });
}

/** The owner answers a request to their company; the requester cannot answer their own (403: owner only). */
export async function answerRequest(
  db: Database,
  ownerId: string,
  companyId: string,
  requestId: string,
  answer: "accept" | "decline",
): Promise<void> {
  await requireOwner(db, companyId, ownerId);
  await transitionItem(db, requestKind, answer, requestId, { companyId });
}
