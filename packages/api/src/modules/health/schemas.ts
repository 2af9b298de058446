import { z } from "zod";

export const healthSchema = z.object({
  status_code: z.literal(200),
  detail: z.literal("ok"),
  result: z.literal("working"),
});
export type Health = z.infer<typeof healthSchema>;
