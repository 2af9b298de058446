import { z } from "zod";
import { itemStatuses } from "../../db/schema.js";

export const itemStatusSchema = z.enum(itemStatuses).meta({ id: "ItemStatus" });

/** D31: the optional `status` query of the four invitation and request lists; each list keeps its own default. */
export const statusFilter = (defaultValue: "all" | "pending") =>
  z
    .enum([...itemStatuses, "all"])
    .default(defaultValue)
    .meta({ description: `Only items in this status (default \`${defaultValue}\`)` });

/** An item row on the wire: ISO timestamps (D9). */
export const itemToWire = <Row extends { created_at: Date; updated_at: Date }>(row: Row) => ({
  ...row,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});
