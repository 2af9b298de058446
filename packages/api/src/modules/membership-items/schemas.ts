import { z } from "zod";
import { invitationStatuses, itemStatuses } from "../../db/schema.js";
import { rowTimestamps } from "../../schemas.js";

export const itemStatusSchema = z.enum(itemStatuses).meta({ id: "ItemStatus" });
export const invitationStatusSchema = z.enum(invitationStatuses).meta({ id: "InvitationStatus" });

const filterMeta = (defaultValue: string) => ({
  description: `Only items in this status, as read now (default \`${defaultValue}\`)`,
});

/** The optional `status` query of the two request lists; each list keeps its own default. */
export const statusFilter = (defaultValue: "all" | "pending") =>
  z
    .enum([...itemStatuses, "all"])
    .default(defaultValue)
    .meta(filterMeta(defaultValue));

/** The same for the two invitation lists, which also know `expired`. */
export const invitationStatusFilter = (defaultValue: "all" | "pending") =>
  z
    .enum([...invitationStatuses, "all"])
    .default(defaultValue)
    .meta(filterMeta(defaultValue));

/** An item on the wire: its id, company and status, the kind's own user fields, and the row's timestamps. */
export const itemSchema = <Fields extends z.ZodRawShape, Status extends z.ZodType>(fields: Fields, status: Status) =>
  z.object({ id: z.uuid(), company_id: z.uuid(), ...fields, status, ...rowTimestamps() });
