import { z } from "zod";
import { authedProcedure, restRoutes, router } from "../../trpc.js";
import { invitationKind } from "../membership-items/items.js";
import { listItems } from "../membership-items/lists.js";
import * as schemas from "./schemas.js";
import * as invitations from "./service.js";

const route = restRoutes("invitations");
const STATE_CHANGE = { status: 204, errors: [404, 409] } as const;

/** Accept and decline: the invitee answers; the invitation id is the whole input. */
const answer = (action: "accept" | "decline", summary: string) =>
  authedProcedure
    .meta(route(`POST /companies/invitations/{invitation_id}/${action}`, summary, STATE_CHANGE))
    .input(schemas.invitationActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => invitations.answerInvitation(ctx.db, ctx.user.id, input.invitation_id, action));

export const invitationsRouter = router({
  create: authedProcedure
    .meta(
      route("POST /companies/{company_id}/invitations", "Invite a user (owner)", { status: 201, errors: [404, 409] }),
    )
    .input(schemas.createInvitationInput)
    .output(schemas.invitationSchema)
    .mutation(({ ctx, input }) => invitations.inviteUser(ctx, ctx.user.id, input.company_id, input.invited_user_id)),

  resend: authedProcedure
    .meta(
      route("POST /companies/{company_id}/invitations/{invitation_id}/resend", "Resend an invitation (owner)", {
        errors: [404, 409],
        description: "A pending or expired invitation gets a fresh lifetime and is pending again.",
      }),
    )
    .input(schemas.resendInvitationInput)
    .output(schemas.invitationSchema)
    .mutation(({ ctx, input }) =>
      invitations.resendInvitation(ctx, ctx.user.id, input.company_id, input.invitation_id),
    ),

  listForCompany: authedProcedure
    .meta(route("GET /companies/{company_id}/invitations", "List a company's invitations (owner)", { errors: [404] }))
    .input(schemas.listCompanyInvitationsInput)
    .output(schemas.invitationListSchema)
    .query(({ ctx, input }) => listItems(ctx.db, invitationKind, ctx.user.id, input)),

  cancel: authedProcedure
    .meta(route("DELETE /companies/{company_id}/invitations/{invitation_id}", "Cancel an invitation", STATE_CHANGE))
    .input(schemas.cancelInvitationInput)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      invitations.cancelInvitation(ctx.db, ctx.user.id, input.company_id, input.invitation_id),
    ),

  listMine: authedProcedure
    .meta(route("GET /companies/invitations/me", "List the invitations I received"))
    .input(schemas.listMyInvitationsInput)
    .output(schemas.invitationListSchema)
    .query(({ ctx, input }) => listItems(ctx.db, invitationKind, ctx.user.id, input)),

  accept: answer("accept", "Accept an invitation (invitee)"),
  decline: answer("decline", "Decline an invitation (invitee)"),
});
