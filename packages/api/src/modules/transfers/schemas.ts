import { z } from "zod";
import { transferStatuses } from "../../db/schema.js";
import { pageInput, pageOf } from "../../pagination.js";
import { pathId, rowTimestamps, timestamp, uuid } from "../../schemas.js";
import { companyIdParam } from "../companies/schemas.js";

const transferIdParam = () => pathId("Transfer not found");

export const transferSchema = z
  .object({
    id: z.uuid(),
    company_id: z.uuid(),
    from_user_id: z.uuid(),
    to_user_id: z.uuid(),
    status: z.enum(transferStatuses).meta({ id: "TransferStatus" }),
    expires_at: timestamp().meta({ description: "Past it, a pending transfer reads as `expired`" }),
    ...rowTimestamps(),
  })
  .meta({ id: "Transfer" });
export type Transfer = z.infer<typeof transferSchema>;

export const transferListSchema = pageOf("transfers", transferSchema).meta({ id: "TransferList" });
export type TransferList = z.infer<typeof transferListSchema>;

export const createTransferInput = z.object({ company_id: companyIdParam(), new_owner_id: uuid() });

export const listMyTransfersInput = pageInput({});

/** Accept and decline: the transfer id is the whole input; a body, if any, is ignored. */
export const transferActionInput = z.object({ transfer_id: transferIdParam() });

export const cancelTransferInput = z.object({ company_id: companyIdParam(), transfer_id: transferIdParam() });
