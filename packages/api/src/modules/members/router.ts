import { z } from "zod";
import { authedProcedure, optionalAuthProcedure, restRoutes, router } from "../../trpc.js";
import * as schemas from "./schemas.js";
import { leaveCompany, listMembers, removeMember, setAdmin } from "./service.js";

const route = restRoutes("members");

/** Promote and demote: the owner sets a member's admin role; company and user are the whole input. */
const roleChange = (action: "promote" | "demote", summary: string) =>
  authedProcedure
    .meta(
      route(`POST /companies/{company_id}/members/{user_id}/${action}`, summary, { status: 204, errors: [404, 409] }),
    )
    .input(schemas.memberRoleInput)
    .output(z.void())
    .mutation(({ ctx, input }) => setAdmin(ctx.db, ctx.user.id, input.company_id, input.user_id, action === "promote"));

export const membersRouter = router({
  list: optionalAuthProcedure
    .meta(route("GET /companies/{company_id}/members", "List a company's members", { errors: [404] }))
    .input(schemas.listMembersInput)
    .output(schemas.memberListSchema)
    .query(({ ctx, input }) => listMembers(ctx.db, ctx.user?.id ?? null, input.company_id, input)),

  // Literal `me`: the bridge matches it before `{user_id}` whatever the order here (docs/rest-routing.md).
  leave: authedProcedure
    .meta(route("DELETE /companies/{company_id}/members/me", "Leave a company", { status: 204, errors: [404, 409] }))
    .input(schemas.leaveCompanyInput)
    .output(z.void())
    .mutation(({ ctx, input }) => leaveCompany(ctx.db, ctx.user.id, input.company_id)),

  remove: authedProcedure
    .meta(
      route("DELETE /companies/{company_id}/members/{user_id}", "Remove a member (owner)", {
        status: 204,
        errors: [404, 409],
      }),
    )
    .input(schemas.removeMemberInput)
    .output(z.void())
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.user.id, input.company_id, input.user_id)),

  promote: roleChange("promote", "Make a member an admin (owner)"),
  demote: roleChange("demote", "Make an admin a plain member (owner)"),
});

export const adminsRouter = router({
  list: optionalAuthProcedure
    .meta(route("GET /companies/{company_id}/admins", "List a company's admins", { errors: [404] }))
    .input(schemas.listMembersInput)
    .output(schemas.memberListSchema)
    .query(({ ctx, input }) =>
      listMembers(ctx.db, ctx.user?.id ?? null, input.company_id, input, { adminsOnly: true }),
    ),
});
