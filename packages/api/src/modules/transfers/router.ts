import { z } from "zod";
import { authedProcedure, restRoutes, router } from "../../trpc.js";
import * as schemas from "./schemas.js";
import * as transfers from "./service.js";

const route = restRoutes("ownership transfers");
const STATE_CHANGE = { status: 204, errors: [404, 409] } as const;

/** Accept and decline: the target answers; the transfer id is the whole input. */
const answer = (action: "accept" | "decline", summary: string) =>
  authedProcedure
    .meta(route(`POST /companies/ownership-transfers/{transfer_id}/${action}`, summary, STATE_CHANGE))
    .input(schemas.transferActionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => transfers.answerTransfer(ctx.db, ctx.user.id, input.transfer_id, action));

export const transfersRouter = router({
  create: authedProcedure
    .meta(
      route("POST /companies/{company_id}/ownership-transfers", "Offer the company to a member (owner)", {
        status: 201,
        errors: [404, 409],
      }),
    )
    .input(schemas.createTransferInput)
    .output(schemas.transferSchema)
    .mutation(({ ctx, input }) => transfers.offerTransfer(ctx, ctx.user.id, input.company_id, input.new_owner_id)),

  listMine: authedProcedure
    .meta(route("GET /companies/ownership-transfers/me", "List the pending transfers offered to me"))
    .input(schemas.listMyTransfersInput)
    .output(schemas.transferListSchema)
    .query(({ ctx, input }) => transfers.listMyTransfers(ctx.db, ctx.user.id, input)),

  accept: answer("accept", "Accept a transfer: become the owner (target)"),
  decline: answer("decline", "Decline a transfer (target)"),

  cancel: authedProcedure
    .meta(route("DELETE /companies/{company_id}/ownership-transfers/{transfer_id}", "Cancel a transfer", STATE_CHANGE))
    .input(schemas.cancelTransferInput)
    .output(z.void())
    .mutation(({ ctx, input }) => transfers.cancelTransfer(ctx.db, ctx.user.id, input.company_id, input.transfer_id)),
});
