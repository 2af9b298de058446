import { z } from "zod";
import { authedProcedure, optionalAuthProcedure, router } from "../../trpc.js";
import { leaveCompanyInput, listMembersInput, memberListSchema, removeMemberInput } from "./schemas.js";
import { leaveCompany, listMembers, removeMember } from "./service.js";

const tags = ["members"];

export const membersRouter = router({
  list: optionalAuthProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/companies/{company_id}/members",
        protect: false,
        tags,
        summary: "List a company's members",
      },
      authOptional: true,
      errorStatuses: [404],
    })
    .input(listMembersInput)
    .output(memberListSchema)
    .query(({ ctx, input }) => listMembers(ctx.db, ctx.user?.id ?? null, input.company_id, input)),

  // Literal `me`: the bridge matches it before `{user_id}` (D32, §2.8).
  leave: authedProcedure
    .meta({
      openapi: { method: "DELETE", path: "/companies/{company_id}/members/me", tags, summary: "Leave a company" },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(leaveCompanyInput)
    .output(z.void())
    .mutation(({ ctx, input }) => leaveCompany(ctx.db, ctx.user.id, input.company_id)),

  remove: authedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/companies/{company_id}/members/{user_id}",
        tags,
        summary: "Remove a member (owner)",
      },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(removeMemberInput)
    .output(z.void())
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.user.id, input.company_id, input.user_id)),
});
