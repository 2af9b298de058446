import { authedProcedure, restRoutes } from "../../trpc.js";
import * as schemas from "./schemas.js";
import * as attempts from "./service.js";

const route = restRoutes("attempts");

/** `companies.quizzes.submit`: a member or the owner takes a quiz. */
export const submitProcedure = authedProcedure
  .meta(
    route("POST /companies/{company_id}/quizzes/{quiz_id}/attempts", "Submit an attempt (member or owner)", {
      status: 201,
      errors: [404],
      description:
        "Every question exactly once, each with its own answers (422 otherwise). A question is correct when the chosen answers are exactly its correct ones.",
    }),
  )
  .input(schemas.submitAttemptInput)
  .output(schemas.attemptSchema)
  .mutation(({ ctx, input }) =>
    attempts.submitAttempt(ctx.db, ctx.user.id, input.company_id, input.quiz_id, input.answers),
  );

/** `companies.myStats`: the caller's attempts in one company. */
export const companyStatsProcedure = authedProcedure
  .meta(route("GET /companies/{company_id}/my-stats", "The caller's quiz statistics in a company", { errors: [404] }))
  .input(schemas.companyStatsInput)
  .output(schemas.companyStatsSchema)
  .query(({ ctx, input }) => attempts.companyStats(ctx.db, ctx.user.id, input.company_id));

/** `users.meQuizStats`: all of the caller's attempts. */
export const userStatsProcedure = authedProcedure
  .meta(route("GET /users/me/quiz-stats", "The caller's quiz statistics over every company"))
  .input(schemas.noInput)
  .output(schemas.userStatsSchema)
  .query(({ ctx }) => attempts.userStats(ctx.db, ctx.user.id));
