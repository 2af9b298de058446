import { z } from "zod";
import { authedProcedure, restRoutes, router } from "../../trpc.js";
import { requestKind } from "../membership-items/items.js";
import { listItems } from "../membership-items/lists.js";
import * as schemas from "./schemas.js";
import * as requests from "./service.js";

const route = restRoutes("requests");
const STATE_CHANGE = { status: 204, errors: [404, 409] } as const;

/** Accept and decline: the owner answers a request to their company. */
const answer = (action: "accept" | "decline", summary: string) =>
  authedProcedure
    .meta(route(`POST /companies/{company_id}/requests/{request_id}/${action}`, summary, STATE_CHANGE))
    .input(schemas.requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      requests.answerRequest(ctx.db, ctx.user.id, input.company_id, input.request_id, action),
    );

export const requestsRouter = router({
  create: authedProcedure
    .meta(route("POST /companies/{company_id}/requests", "Ask to join a company", { status: 201, errors: [404, 409] }))
    .input(schemas.createRequestInput)
    .output(schemas.requestSchema)
    .mutation(({ ctx, input }) => requests.requestToJoin(ctx.db, ctx.user.id, input.company_id)),

  cancel: authedProcedure
    .meta(route("DELETE /companies/{company_id}/requests/{request_id}", "Cancel my join request", STATE_CHANGE))
    .input(schemas.requestActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => requests.cancelRequest(ctx.db, ctx.user.id, input.company_id, input.request_id)),

  listMine: authedProcedure
    .meta(route("GET /companies/requests/me", "List my join requests"))
    .input(schemas.listMyRequestsInput)
    .output(schemas.requestListSchema)
    .query(({ ctx, input }) => listItems(ctx.db, requestKind, ctx.user.id, input)),

  listForCompany: authedProcedure
    .meta(route("GET /companies/{company_id}/requests", "List a company's join requests (owner)", { errors: [404] }))
    .input(schemas.listCompanyRequestsInput)
    .output(schemas.requestListSchema)
    .query(({ ctx, input }) => listItems(ctx.db, requestKind, ctx.user.id, input)),

  accept: answer("accept", "Accept a join request (owner)"),
  decline: answer("decline", "Decline a join request (owner)"),
});
