import { type SQL, sql } from "drizzle-orm";
import { companyInvitations, companyRequests } from "../../db/schema.js";
import { conflict, notFound, type ViolationError } from "../../errors.js";

/**
 * Invitations and join requests are mirror images: an item about one (company, user) pair that is pending until it
 * is accepted (the user becomes a member), declined or cancelled (docs/invitations-and-requests.md). A kind says
 * where its rows live and how its errors read; the machinery in transitions.ts and lists.ts serves both.
 */
export type ItemTable = typeof companyInvitations | typeof companyRequests;

export type ItemKind<Table extends ItemTable = ItemTable, ListKey extends string = string> = {
  /** The items' key in a list's body (`{ invitations: [...] }`), and the list's name in its cursors. */
  listKey: ListKey;
  table: Table;
  /** The user who would become a member: the invitee, or the requester. */
  userColumn: typeof companyInvitations.invited_user_id | typeof companyRequests.user_id;
  /**
   * What a constraint violation on creation means: the partial unique index of one pending item per (company, user),
   * and the foreign keys of a company or user that vanished while the item was being created.
   */
  violations: Record<string, ViolationError>;
  messages: {
    notFound: string;
    notPending: string;
    cancelNotPending: string;
    ownerRefused: string;
    /** Accepting or declining an expired item (invitations only). */
    expired?: string;
  };
  /** When a pending item stops being answerable (invitations only): past it, it reads as `expired`. */
  expiresAt?: typeof companyInvitations.expires_at;
  /** The other kind: accepting one settles the pending one of the other kind for the same pair. */
  counterpart: () => ItemKind;
};

const companyGone = notFound("Company not found");
const userGone = notFound("User not found");

export const invitationKind: ItemKind<typeof companyInvitations, "invitations"> = {
  listKey: "invitations",
  table: companyInvitations,
  userColumn: companyInvitations.invited_user_id,
  violations: {
    company_invitations_one_pending_key: conflict("Invitation already sent"),
    company_invitations_company_id_companies_id_fk: companyGone,
    company_invitations_invited_user_id_users_id_fk: userGone,
    // The inviting owner's account deleted meanwhile: their companies went with it.
    company_invitations_invited_by_id_users_id_fk: companyGone,
  },
  messages: {
    notFound: "Invitation not found",
    notPending: "Invitation is not pending",
    cancelNotPending: "Can only cancel pending invitations",
    ownerRefused: "Company owner cannot be invited",
    expired: "Invitation has expired",
  },
  expiresAt: companyInvitations.expires_at,
  counterpart: () => requestKind,
};

export const requestKind: ItemKind<typeof companyRequests, "requests"> = {
  listKey: "requests",
  table: companyRequests,
  userColumn: companyRequests.user_id,
  violations: {
    company_requests_one_pending_key: conflict("Request already sent"),
    company_requests_company_id_companies_id_fk: companyGone,
    company_requests_user_id_users_id_fk: userGone,
  },
  messages: {
    notFound: "Request not found",
    notPending: "Request is not pending",
    cancelNotPending: "Can only cancel pending requests",
    ownerRefused: "Company owner cannot request to join own company",
  },
  counterpart: () => invitationKind,
};

/**
 * True for an item that has expired, whether or not its row says so yet: written `expired` (a later invitation of the
 * pair settled it), or still `pending` past its `expires_at`. Always false for kinds that do not expire.
 */
export function isExpired(kind: ItemKind): SQL<boolean> {
  if (!kind.expiresAt) return sql<boolean>`false`;
  return sql<boolean>`(${kind.table.status} = 'expired' or (${kind.table.status} = 'pending' and ${kind.expiresAt} <= now()))`;
}

/** The status as read now: `expired` for an expired item, the row's status otherwise. */
export function readStatus(kind: ItemKind): SQL<string> {
  return sql<string>`case when ${isExpired(kind)} then 'expired' else ${kind.table.status} end`;
}

/** Items whose status, as read now, is `status`. */
export function statusIs(kind: ItemKind, status: string): SQL {
  if (status === "expired") return isExpired(kind);
  return sql`(${kind.table.status} = ${status} and not ${isExpired(kind)})`;
}
