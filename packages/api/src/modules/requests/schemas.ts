import { z } from "zod";
import { pageInput, pageOf } from "../../pagination.js";
import { pathId } from "../../schemas.js";
import { companyIdParam } from "../companies/schemas.js";
import { itemSchema, itemStatusSchema, statusFilter } from "../membership-items/schemas.js";

export const requestSchema = itemSchema({ user_id: z.uuid() }, itemStatusSchema).meta({ id: "Request" });
export type JoinRequest = z.infer<typeof requestSchema>;

export const requestListSchema = pageOf("requests", requestSchema).meta({ id: "RequestList" });
export type RequestList = z.infer<typeof requestListSchema>;

/** Asking to join takes no body: the company id is the whole input. */
export const createRequestInput = z.object({ company_id: companyIdParam() });

export const listMyRequestsInput = pageInput({ status: statusFilter("all") });

export const listCompanyRequestsInput = pageInput({ company_id: companyIdParam(), status: statusFilter("pending") });

/** Cancel, accept and decline: path ids only; a body, if any, is ignored. */
export const requestActionInput = z.object({ company_id: companyIdParam(), request_id: pathId("Request not found") });
