import { z } from "zod";
import { publicProcedure, router } from "../../trpc.js";
import { healthSchema } from "./schemas.js";

export const healthRouter = router({
  check: publicProcedure
    .meta({ openapi: { method: "GET", path: "/", protect: false, tags: ["health"], summary: "Health check" } })
    .input(z.void())
    .output(healthSchema)
    .query(() => ({ status_code: 200, detail: "ok", result: "working" }) as const),
});
