import { z } from "zod";
import { itemStatuses } from "../../db/schema.js";
import { rowTimestamps } from "../../schemas.js";

export const itemStatusSchema = z.enum(itemStatuses).meta({ id: "ItemStatus" });

/** The optional `status` query of the four invitation and request lists; each list keeps its own default. */
export const statusFilter = (defaultValue: "all" | "pending") =>
  z
    .enum([...itemStatuses, "all"])
    .default(defaultValue)
    .meta({ description: `Only items in this status (default \`${defaultValue}\`)` });

/** An item on the wire: its id, company and status, the kind's own user fields, and the row's timestamps. */
export const itemSchema = <Fields extends z.ZodRawShape>(fields: Fields) =>
  z.object({ id: z.uuid(), company_id: z.uuid(), ...fields, status: itemStatusSchema, ...rowTimestamps() });
