import type { Database } from "../../db/client.js";
import { companyRequests } from "../../db/schema.js";
import { requireOwner, requireVisibleCompany } from "../companies/access.js";
import type { Page } from "../companies/schemas.js";
import { requestKind } from "../memberships/items.js";
import { listItems, type StatusFilter } from "../memberships/lists.js";
import { itemToWire } from "../memberships/schemas.js";
import { openItem, transitionItem } from "../memberships/transitions.js";
import type { JoinRequest, RequestList } from "./schemas.js";

/** A user asks to join (D25: a company hidden from them is 404; D29: not its owner). */
export async function requestToJoin(db: Database, userId: string, companyId: string): Promise<JoinRequest> {
  const subject = await requireVisibleCompany(db, companyId, userId);
  const row = await openItem(requestKind, subject, () =>
    db.insert(companyRequests).values({ company_id: companyId, user_id: userId }).returning(),
  );
  return itemToWire(row);
}

export async function listMyRequests(
  db: Database,
  userId: string,
  status: StatusFilter,
  page: Page,
): Promise<RequestList> {
  const { rows, total } = await listItems(db, requestKind, { userId }, status, page);
  return { requests: rows.map(itemToWire), total };
}

export async function listCompanyRequests(
  db: Database,
  ownerId: string,
  companyId: string,
  status: StatusFilter,
  page: Page,
): Promise<RequestList> {
  await requireOwner(db, companyId, ownerId);
  const { rows, total } = await listItems(db, requestKind, { companyId }, status, page);
  return { requests: rows.map(itemToWire), total };
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
