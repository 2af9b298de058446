import { authRouter } from "./modules/auth/router.js";
import { companiesRouter } from "./modules/companies/router.js";
import { healthRouter } from "./modules/health/router.js";
import { usersRouter } from "./modules/users/router.js";
import { router } from "./trpc.js";

export const appRouter = router({
  health: healthRouter,
  companies: companiesRouter,
  users: usersRouter,
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
