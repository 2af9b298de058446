import { z } from "zod";
import { authedProcedure, router } from "../../trpc.js";
import {
  cancelInvitationInput,
  createInvitationInput,
  invitationActionInput,
  invitationListSchema,
  invitationSchema,
  listCompanyInvitationsInput,
  listMyInvitationsInput,
} from "./schemas.js";
import {
  answerInvitation,
  cancelInvitation,
  inviteUser,
  listCompanyInvitations,
  listMyInvitations,
} from "./service.js";

const tags = ["invitations"];

export const invitationsRouter = router({
  create: authedProcedure
    .meta({
      openapi: { method: "POST", path: "/companies/{company_id}/invitations", tags, summary: "Invite a user (owner)" },
      successStatus: 201,
      errorStatuses: [404, 409],
    })
    .input(createInvitationInput)
    .output(invitationSchema)
    .mutation(({ ctx, input }) => inviteUser(ctx.db, ctx.user.id, input.company_id, input.invited_user_id)),

  listForCompany: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/companies/{company_id}/invitations",
        tags,
        summary: "List a company's invitations (owner)",
      },
      errorStatuses: [404],
    })
    .input(listCompanyInvitationsInput)
    .output(invitationListSchema)
    .query(({ ctx, input }) => listCompanyInvitations(ctx.db, ctx.user.id, input.company_id, input.status, input)),

  cancel: authedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/companies/{company_id}/invitations/{invitation_id}",
        tags,
        summary: "Cancel a pending invitation (owner)",
      },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(cancelInvitationInput)
    .output(z.void())
    .mutation(({ ctx, input }) => cancelInvitation(ctx.db, ctx.user.id, input.company_id, input.invitation_id)),

  listMine: authedProcedure
    .meta({
      openapi: { method: "GET", path: "/companies/invitations/me", tags, summary: "List the invitations I received" },
    })
    .input(listMyInvitationsInput)
    .output(invitationListSchema)
    .query(({ ctx, input }) => listMyInvitations(ctx.db, ctx.user.id, input.status, input)),

  accept: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/companies/invitations/{invitation_id}/accept",
        tags,
        summary: "Accept an invitation (invitee)",
      },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(invitationActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerInvitation(ctx.db, ctx.user.id, input.invitation_id, "accept")),

  decline: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/companies/invitations/{invitation_id}/decline",
        tags,
        summary: "Decline an invitation (invitee)",
      },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(invitationActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerInvitation(ctx.db, ctx.user.id, input.invitation_id, "decline")),
});
