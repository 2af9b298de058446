import { z } from "zod";
import { publicProcedure, restRoutes, router } from "../../trpc.js";
import { healthSchema } from "./schemas.js";

const route = restRoutes("health");

export const healthRouter = router({
  check: publicProcedure
    .meta(route("GET /", "Health check"))
    .input(z.void())
    .output(healthSchema)
    .query(() => ({ status_code: 200, detail: "ok", result: "working" }) as const),
});
