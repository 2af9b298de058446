import { z } from "zod";
import { authedProcedure, restRoutes, router } from "../../trpc.js";
import {
  cancelInvitationInput,
  createInvitationInput,
  invitationActionInput,
  invitationListSchema,
  invitationSchema,
  listCompanyInvitationsInput,
  listMyInvitationsInput,
} from "./schemas.js";
import { answerInvitation, cancelInvitation, inviteUser, listInvitations } from "./service.js";

const route = restRoutes("invitations");

export const invitationsRouter = router({
  create: authedProcedure
    .meta(
      route("POST /companies/{company_id}/invitations", "Invite a user (owner)", { status: 201, errors: [404, 409] }),
    )
    .input(createInvitationInput)
    .output(invitationSchema)
    .mutation(({ ctx, input }) => inviteUser(ctx.db, ctx.user.id, input.company_id, input.invited_user_id)),

  listForCompany: authedProcedure
    .meta(route("GET /companies/{company_id}/invitations", "List a company's invitations (owner)", { errors: [404] }))
    .input(listCompanyInvitationsInput)
    .output(invitationListSchema)
    .query(({ ctx, input }) =>
      listInvitations(ctx.db, { companyId: input.company_id, ownerId: ctx.user.id }, input.status, input),
    ),

  cancel: authedProcedure
    .meta(
      route("DELETE /companies/{company_id}/invitations/{invitation_id}", "Cancel a pending invitation (owner)", {
        status: 204,
        errors: [404, 409],
      }),
    )
    .input(cancelInvitationInput)
    .output(z.void())
    .mutation(({ ctx, input }) => cancelInvitation(ctx.db, ctx.user.id, input.company_id, input.invitation_id)),

  listMine: authedProcedure
    .meta(route("GET /companies/invitations/me", "List the invitations I received"))
    .input(listMyInvitationsInput)
    .output(invitationListSchema)
    .query(({ ctx, input }) => listInvitations(ctx.db, { userId: ctx.user.id }, input.status, input)),

  accept: authedProcedure
    .meta(
      route("POST /companies/invitations/{invitation_id}/accept", "Accept an invitation (invitee)", {
        status: 204,
        errors: [404, 409],
      }),
    )
    .input(invitationActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerInvitation(ctx.db, ctx.user.id, input.invitation_id, "accept")),

  decline: authedProcedure
    .meta(
      route("POST /companies/invitations/{invitation_id}/decline", "Decline an invitation (invitee)", {
        status: 204,
        errors: [404, 409],
      }),
    )
    .input(invitationActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerInvitation(ctx.db, ctx.user.id, input.invitation_id, "decline")),
});
