import { z } from "zod";
import { timestamp, uuid } from "../../schemas.js";
import { companyIdParam } from "../companies/schemas.js";
import { quizIdParam } from "../quizzes/schemas.js";

/** Ids inside a body are compared lower-cased: a UUID has one value whatever its case. */
const bodyId = () => uuid().transform((value) => value.toLowerCase());

export const submitAttemptInput = z.object({
  company_id: companyIdParam(),
  quiz_id: quizIdParam(),
  answers: z
    .array(z.object({ question_id: bodyId(), answer_ids: z.array(bodyId()).min(1) }))
    .min(1)
    .meta({ description: "Every question of the quiz exactly once, each with the ids of the answers chosen" }),
});
export type Submission = z.output<typeof submitAttemptInput>["answers"];

export const attemptSchema = z
  .object({
    id: z.uuid(),
    user_id: z.uuid(),
    quiz_id: z.uuid(),
    company_id: z.uuid(),
    score: z.number().int(),
    total_questions: z.number().int(),
    correct_answers: z.number().int(),
    percentage: z.number().meta({ description: "score / total_questions × 100, rounded to 2 decimals" }),
    completed_at: timestamp(),
  })
  .meta({ id: "Attempt" });
export type Attempt = z.output<typeof attemptSchema>;

export const quizStatsSchema = z
  .object({
    total_attempts: z.number().int(),
    total_questions_answered: z.number().int(),
    total_correct_answers: z.number().int(),
    average_score: z.number().meta({ description: "Correct answers over questions answered × 100, rounded to 2" }),
    last_attempt_at: timestamp().nullable(),
  })
  .meta({ id: "QuizStats" });
export type QuizStats = z.output<typeof quizStatsSchema>;

export const noInput = z.void();

export const companyStatsInput = z.object({ company_id: companyIdParam() });

export const companyStatsSchema = z
  .object({ company_id: z.uuid(), company_name: z.string(), stats: quizStatsSchema })
  .meta({ id: "CompanyQuizStats" });
export type CompanyStats = z.output<typeof companyStatsSchema>;

export const userStatsSchema = z
  .object({ stats: quizStatsSchema, companies_participated: z.number().int() })
  .meta({ id: "UserQuizStats" });
export type UserStats = z.output<typeof userStatsSchema>;
