import { companyInvitations, companyRequests } from "../../db/schema.js";

/**
 * Invitations and join requests are mirror images: an item about one (company, user) pair that is pending until it
 * is accepted (the user becomes a member), declined or cancelled (§2.9). A kind says where its rows live and how its
 * errors read; the machinery in transitions.ts and lists.ts serves both.
 */
export type ItemTable = typeof companyInvitations | typeof companyRequests;

export type ItemKind<Table extends ItemTable = ItemTable> = {
  table: Table;
  /** The user who would become a member: the invitee, or the requester. */
  userColumn: typeof companyInvitations.invited_user_id | typeof companyRequests.user_id;
  /** The partial unique index that allows one pending item per (company, user). */
  pendingKey: string;
  /** Foreign keys whose violation means the company or the user vanished while the item was being created. */
  companyForeignKey: string;
  userForeignKey: string;
  messages: {
    notFound: string;
    notPending: string;
    cancelNotPending: string;
    duplicate: string;
    ownerRefused: string;
  };
  /** The other kind: accepting one settles the pending one of the other kind for the same pair (D30). */
  counterpart: () => ItemKind;
};

export const invitationKind: ItemKind<typeof companyInvitations> = {
  table: companyInvitations,
  userColumn: companyInvitations.invited_user_id,
  pendingKey: "company_invitations_one_pending_key",
  companyForeignKey: "company_invitations_company_id_companies_id_fk",
  userForeignKey: "company_invitations_invited_user_id_users_id_fk",
  messages: {
    notFound: "Invitation not found",
    notPending: "Invitation is not pending",
    cancelNotPending: "Can only cancel pending invitations",
    duplicate: "Invitation already sent",
    ownerRefused: "Company owner cannot be invited",
  },
  counterpart: () => requestKind,
};

export const requestKind: ItemKind<typeof companyRequests> = {
  table: companyRequests,
  userColumn: companyRequests.user_id,
  pendingKey: "company_requests_one_pending_key",
  companyForeignKey: "company_requests_company_id_companies_id_fk",
  userForeignKey: "company_requests_user_id_users_id_fk",
  messages: {
    notFound: "Request not found",
    notPending: "Request is not pending",
    cancelNotPending: "Can only cancel pending requests",
    duplicate: "Request already sent",
    ownerRefused: "Company owner cannot request to join own company",
  },
  counterpart: () => invitationKind,
};
