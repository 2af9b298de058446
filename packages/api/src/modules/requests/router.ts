import { z } from "zod";
import { authedProcedure, restRoutes, router } from "../../trpc.js";
import {
  createRequestInput,
  listCompanyRequestsInput,
  listMyRequestsInput,
  requestActionInput,
  requestListSchema,
  requestSchema,
} from "./schemas.js";
import { answerRequest, cancelRequest, listRequests, requestToJoin } from "./service.js";

const route = restRoutes("requests");

export const requestsRouter = router({
  create: authedProcedure
    .meta(route("POST /companies/{company_id}/requests", "Ask to join a company", { status: 201, errors: [404, 409] }))
    .input(createRequestInput)
    .output(requestSchema)
    .mutation(({ ctx, input }) => requestToJoin(ctx.db, ctx.user.id, input.company_id)),

  cancel: authedProcedure
    .meta(
      route("DELETE /companies/{company_id}/requests/{request_id}", "Cancel my pending join request", {
        status: 204,
        errors: [404, 409],
      }),
    )
    .input(requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => cancelRequest(ctx.db, ctx.user.id, input.company_id, input.request_id)),

  listMine: authedProcedure
    .meta(route("GET /companies/requests/me", "List my join requests"))
    .input(listMyRequestsInput)
    .output(requestListSchema)
    .query(({ ctx, input }) => listRequests(ctx.db, { userId: ctx.user.id }, input.status, input)),

  listForCompany: authedProcedure
    .meta(route("GET /companies/{company_id}/requests", "List a company's join requests (owner)", { errors: [404] }))
    .input(listCompanyRequestsInput)
    .output(requestListSchema)
    .query(({ ctx, input }) =>
      listRequests(ctx.db, { companyId: input.company_id, ownerId: ctx.user.id }, input.status, input),
    ),

  accept: authedProcedure
    .meta(
      route("POST /companies/{company_id}/requests/{request_id}/accept", "Accept a join request (owner)", {
        status: 204,
        errors: [404, 409],
      }),
    )
    .input(requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerRequest(ctx.db, ctx.user.id, input.company_id, input.request_id, "accept")),

  decline: authedProcedure
    .meta(
      route("POST /companies/{company_id}/requests/{request_id}/decline", "Decline a join request (owner)", {
        status: 204,
        errors: [404, 409],
      }),
    )
    .input(requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerRequest(ctx.db, ctx.user.id, input.company_id, input.request_id, "decline")),
});
