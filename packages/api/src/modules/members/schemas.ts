import { z } from "zod";
import { pageInput, pageOf } from "../../pagination.js";
import { pathId, rowTimestamps, timestamp } from "../../schemas.js";
import { companyIdParam } from "../companies/schemas.js";

/**
 * The original's later member shape plus `joined_at` (= `created_at`) and `username`; no email, the list is public
 * (docs/differences.md#member-shape).
 */
export const memberSchema = z
  .object({
    id: z.uuid(),
    user_id: z.uuid(),
    company_id: z.uuid(),
    username: z.string(),
    is_admin: z.boolean(),
    joined_at: timestamp(),
    ...rowTimestamps(),
  })
  .meta({ id: "Member" });
export type Member = z.infer<typeof memberSchema>;

export const memberListSchema = pageOf("members", memberSchema).meta({ id: "MemberList" });
export type MemberList = z.infer<typeof memberListSchema>;

export const listMembersInput = pageInput({ company_id: companyIdParam() });

export const leaveCompanyInput = z.object({ company_id: companyIdParam() });

export const removeMemberInput = z.object({ company_id: companyIdParam(), user_id: pathId("Member not found") });

export const memberRoleInput = removeMemberInput;
