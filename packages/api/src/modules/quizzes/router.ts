import { z } from "zod";
import { authedProcedure, optionalAuthProcedure, restRoutes, router } from "../../trpc.js";
import { submitProcedure } from "../attempts/router.js";
import * as schemas from "./schemas.js";
import * as quizzes from "./service.js";

const route = restRoutes("quizzes");

const ANSWER_KEY = "The answer key (`is_correct`) is included only for the company's owner and admins.";

export const quizzesRouter = router({
  create: authedProcedure
    .meta(
      route("POST /companies/{company_id}/quizzes", "Create a quiz (owner or admin)", {
        status: 201,
        errors: [404],
        description: "2 to 100 questions, each with 2 to 4 answers of which at least one is correct.",
      }),
    )
    .input(schemas.createQuizInput)
    .output(schemas.managerQuizSchema)
    .mutation(({ ctx, input: { company_id, ...quiz } }) => quizzes.createQuiz(ctx.db, ctx.user.id, company_id, quiz)),

  list: optionalAuthProcedure
    .meta(
      route("GET /companies/{company_id}/quizzes", "List a company's quizzes", {
        errors: [404],
        description: ANSWER_KEY,
      }),
    )
    .input(schemas.listQuizzesInput)
    .output(schemas.quizListSchema)
    .query(({ ctx, input }) => quizzes.listQuizzes(ctx.db, ctx.user?.id ?? null, input.company_id, input)),

  byId: optionalAuthProcedure
    .meta(
      route("GET /companies/{company_id}/quizzes/{quiz_id}", "Get a quiz", { errors: [404], description: ANSWER_KEY }),
    )
    .input(schemas.quizRefInput)
    .output(schemas.quizSchema)
    .query(({ ctx, input }) => quizzes.getQuiz(ctx.db, ctx.user?.id ?? null, input.company_id, input.quiz_id)),

  update: authedProcedure
    .meta(
      route("PUT /companies/{company_id}/quizzes/{quiz_id}", "Update a quiz (owner or admin)", {
        errors: [404],
        description: "`questions`, when given, replaces every question and answer.",
      }),
    )
    .input(schemas.updateQuizInput)
    .output(schemas.managerQuizSchema)
    .mutation(({ ctx, input: { company_id, quiz_id, ...patch } }) =>
      quizzes.updateQuiz(ctx.db, ctx.user.id, company_id, quiz_id, patch),
    ),

  delete: authedProcedure
    .meta(
      route("DELETE /companies/{company_id}/quizzes/{quiz_id}", "Delete a quiz (owner or admin)", {
        status: 204,
        errors: [404],
      }),
    )
    .input(schemas.quizRefInput)
    .output(z.void())
    .mutation(({ ctx, input }) => quizzes.deleteQuiz(ctx.db, ctx.user.id, input.company_id, input.quiz_id)),

  submit: submitProcedure,
});
