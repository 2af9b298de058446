import { z } from "zod";
import { pageInput, pageOf } from "../../pagination.js";
import { pathId, timestamp, uuid } from "../../schemas.js";
import { companyIdParam } from "../companies/schemas.js";
import { invitationStatusFilter, invitationStatusSchema, itemSchema } from "../membership-items/schemas.js";

const invitationIdParam = () => pathId("Invitation not found");

export const invitationSchema = itemSchema(
  { invited_user_id: z.uuid(), invited_by_id: z.uuid() },
  invitationStatusSchema,
)
  .extend({
    expires_at: timestamp().meta({ description: "Past it, a pending invitation reads as `expired`" }),
  })
  .meta({ id: "Invitation" });
export type Invitation = z.infer<typeof invitationSchema>;

export const invitationListSchema = pageOf("invitations", invitationSchema).meta({ id: "InvitationList" });
export type InvitationList = z.infer<typeof invitationListSchema>;

export const createInvitationInput = z.object({ company_id: companyIdParam(), invited_user_id: uuid() });

export const listCompanyInvitationsInput = pageInput({
  company_id: companyIdParam(),
  status: invitationStatusFilter("all"),
});

export const listMyInvitationsInput = pageInput({ status: invitationStatusFilter("pending") });

export const cancelInvitationInput = z.object({ company_id: companyIdParam(), invitation_id: invitationIdParam() });

/** Accept and decline: the invitation id is the whole input; a body, if any, is ignored. */
export const invitationActionInput = z.object({ invitation_id: invitationIdParam() });

/** Resend: the company and the invitation in the path; a body, if any, is ignored. */
export const resendInvitationInput = cancelInvitationInput;
