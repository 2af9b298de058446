import { z } from "zod";
import { authedProcedure, router } from "../../trpc.js";
import {
  createRequestInput,
  listCompanyRequestsInput,
  listMyRequestsInput,
  requestActionInput,
  requestListSchema,
  requestSchema,
} from "./schemas.js";
import { answerRequest, cancelRequest, listCompanyRequests, listMyRequests, requestToJoin } from "./service.js";

const tags = ["requests"];

export const requestsRouter = router({
  create: authedProcedure
    .meta({
      openapi: { method: "POST", path: "/companies/{company_id}/requests", tags, summary: "Ask to join a company" },
      successStatus: 201,
      errorStatuses: [404, 409],
    })
    .input(createRequestInput)
    .output(requestSchema)
    .mutation(({ ctx, input }) => requestToJoin(ctx.db, ctx.user.id, input.company_id)),

  cancel: authedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/companies/{company_id}/requests/{request_id}",
        tags,
        summary: "Cancel my pending join request",
      },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => cancelRequest(ctx.db, ctx.user.id, input.company_id, input.request_id)),

  listMine: authedProcedure
    .meta({ openapi: { method: "GET", path: "/companies/requests/me", tags, summary: "List my join requests" } })
    .input(listMyRequestsInput)
    .output(requestListSchema)
    .query(({ ctx, input }) => listMyRequests(ctx.db, ctx.user.id, input.status, input)),

  listForCompany: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/companies/{company_id}/requests",
        tags,
        summary: "List a company's join requests (owner)",
      },
      errorStatuses: [404],
    })
    .input(listCompanyRequestsInput)
    .output(requestListSchema)
    .query(({ ctx, input }) => listCompanyRequests(ctx.db, ctx.user.id, input.company_id, input.status, input)),

  accept: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/companies/{company_id}/requests/{request_id}/accept",
        tags,
        summary: "Accept a join request (owner)",
      },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerRequest(ctx.db, ctx.user.id, input.company_id, input.request_id, "accept")),

  decline: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/companies/{company_id}/requests/{request_id}/decline",
        tags,
        summary: "Decline a join request (owner)",
      },
      successStatus: 204,
      errorStatuses: [404, 409],
    })
    .input(requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => answerRequest(ctx.db, ctx.user.id, input.company_id, input.request_id, "decline")),
});
