import { z } from "zod";
import { itemStatuses } from "../../db/schema.js";

export const itemStatusSchema = z.enum(itemStatuses).meta({ id: "ItemStatus" });

/** The optional `status` query of the four invitation and request lists; each list keeps its own default. */
export const statusFilter = (defaultValue: "all" | "pending") =>
  z
    .enum([...itemStatuses, "all"])
    .default(defaultValue)
    .meta({ description: `Only items in this status (default \`${defaultValue}\`)` });
