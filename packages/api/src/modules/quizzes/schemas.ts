import { z } from "zod";
import { pageInput, pageOf } from "../../pagination.js";
import { jsonBoolean, pathId, rowTimestamps, text } from "../../schemas.js";
import { companyIdParam } from "../companies/schemas.js";

/*
 * Quizzes (docs/quizzes.md). The answer key (`is_correct`) reaches managers only, and that is a fact of the types:
 * the manager's and the member's views are two shapes, the member's answer has no such field at all.
 */

export const MAX_QUESTIONS = 100;

/** The `{quiz_id}` path parameter. */
export const quizIdParam = () => pathId("Quiz not found");

/** An `order` in a body: a JSON integer ≥ 0 that fits the column (a pipe, so it is never coerced from text). */
const position = () => z.number().int().min(0).max(2_147_483_647).pipe(z.number());

/** The first repeated `order` among siblings, as the issue path of the duplicate. */
const uniqueOrders = (key: string) => (items: { order: number }[], ctx: z.RefinementCtx) => {
  const seen = new Set<number>();
  for (const [index, item] of items.entries()) {
    if (seen.has(item.order))
      ctx.addIssue({ code: "custom", path: [index, "order"], message: `duplicate ${key} order` });
    seen.add(item.order);
  }
};

const answerInput = z.object({
  text: text().trim().min(1).max(500),
  is_correct: jsonBoolean(),
  order: position(),
});

const questionInput = z.object({
  title: text().trim().min(1).max(1000),
  order: position(),
  answers: z
    .array(answerInput)
    .min(2)
    .max(4)
    .superRefine(uniqueOrders("answer"))
    .refine((answers) => answers.some((answer) => answer.is_correct), "at least one answer must be correct"),
});
export type QuestionInput = z.output<typeof questionInput>;

const questionsInput = () => z.array(questionInput).min(2).max(MAX_QUESTIONS).superRefine(uniqueOrders("question"));

const title = () => text().trim().min(1).max(255);
const description = () => text().max(2000);

export const createQuizInput = z.object({
  company_id: companyIdParam(),
  title: title(),
  description: description().nullable().optional(),
  questions: questionsInput(),
});
export type CreateQuizInput = Omit<z.output<typeof createQuizInput>, "company_id">;

/** null on `title` or `questions` means "unchanged"; on the nullable `description` it clears it. */
export const updateQuizInput = z.object({
  company_id: companyIdParam(),
  quiz_id: quizIdParam(),
  title: title().nullable().optional(),
  description: description().nullable().optional(),
  questions: questionsInput().nullable().optional(),
});
export type QuizPatch = Omit<z.output<typeof updateQuizInput>, "company_id" | "quiz_id">;

export const quizRefInput = z.object({ company_id: companyIdParam(), quiz_id: quizIdParam() });

export const listQuizzesInput = pageInput({ company_id: companyIdParam() });

const answerFields = {
  id: z.uuid(),
  question_id: z.uuid(),
  text: z.string(),
  order: z.number().int(),
  ...rowTimestamps(),
};

// Strict: an answer carrying `is_correct` is not a member's answer (see quizSchema).
export const memberAnswerSchema = z.strictObject(answerFields).meta({ id: "AnswerForMember" });
export const managerAnswerSchema = z
  .object({ ...answerFields, is_correct: z.boolean() })
  .meta({ id: "AnswerForManager" });

const questionOf = <Answer extends z.ZodType>(answer: Answer) =>
  z.object({
    id: z.uuid(),
    quiz_id: z.uuid(),
    title: z.string(),
    order: z.number().int(),
    answers: z.array(answer).meta({ description: "By `order` ascending" }),
    ...rowTimestamps(),
  });

const quizOf = <Question extends z.ZodType>(question: Question) =>
  z.object({
    id: z.uuid(),
    company_id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    frequency: z.number().int().meta({ description: "Attempts ever submitted" }),
    questions: z.array(question).meta({ description: "By `order` ascending" }),
    ...rowTimestamps(),
  });

export const managerQuizSchema = quizOf(questionOf(managerAnswerSchema).meta({ id: "QuestionForManager" })).meta({
  id: "QuizForManager",
  description: "A quiz as the company's owner and admins see it: with the answer key",
});
export const memberQuizSchema = quizOf(questionOf(memberAnswerSchema).meta({ id: "QuestionForMember" })).meta({
  id: "QuizForMember",
  description: "A quiz as anyone but a manager sees it: no `is_correct`",
});

/*
 * Either view. A member's quiz fits only the member's shape (no `is_correct`) and a manager's only the manager's (the
 * member's answers are strict), so neither is ever stripped into the other; the member's, the common read, is tried first.
 */
export const quizSchema = z.union([memberQuizSchema, managerQuizSchema]).meta({ id: "Quiz" });

export const quizListSchema = pageOf("quizzes", quizSchema).meta({ id: "QuizList" });

export type ManagerAnswer = z.output<typeof managerAnswerSchema>;
export type MemberAnswer = z.output<typeof memberAnswerSchema>;
export type ManagerQuiz = z.output<typeof managerQuizSchema>;
export type MemberQuiz = z.output<typeof memberQuizSchema>;
export type Quiz = z.output<typeof quizSchema>;
export type QuizList = z.output<typeof quizListSchema>;
