import { TRPCError } from "@trpc/server";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { quizAttempts, quizzes } from "../../db/schema.js";
import { firstRow, invalidInput, notFound, onViolation } from "../../errors.js";
import { requireVisibleCompany } from "../companies/access.js";
import { questionsOf } from "../quizzes/load.js";
import { quizNotFound } from "../quizzes/service.js";
import type { Attempt, CompanyStats, QuizStats, Submission, UserStats } from "./schemas.js";

/** What scoring needs of a quiz: each question's answer ids and its correct ones. */
type AnswerKey = Map<string, { answers: Set<string>; correct: Set<string> }>;

async function answerKeyOf(db: Database, companyId: string, quizId: string): Promise<AnswerKey> {
  const [quizRows, rows] = await Promise.all([
    db.select({ company_id: quizzes.company_id }).from(quizzes).where(eq(quizzes.id, quizId)).limit(1),
    questionsOf(db, [quizId]),
  ]);
  if (quizRows[0]?.company_id !== companyId) throw quizNotFound();
  const key: AnswerKey = new Map();
  for (const { question, answer } of rows) {
    const entry = key.get(question.id) ?? { answers: new Set(), correct: new Set() };
    key.set(question.id, entry);
    if (!answer) continue;
    entry.answers.add(answer.id);
    if (answer.is_correct) entry.correct.add(answer.id);
  }
  return key;
}

/**
 * The number of correctly answered questions, after checking that the submission covers every question of the quiz
 * exactly once with answers of that question (422 otherwise, naming the entry). A question is correct when the set
 * of chosen answers is exactly its set of correct answers.
 */
function score(key: AnswerKey, submission: Submission): number {
  const foreign = submission.findIndex((entry) => !key.has(entry.question_id));
  if (foreign >= 0) throw invalidInput(["answers", foreign, "question_id"], "Must answer all questions");
  if (new Set(submission.map((entry) => entry.question_id)).size < key.size) {
    throw invalidInput(["answers"], "Must answer all questions");
  }
  const seen = new Set<string>();
  for (const [index, entry] of submission.entries()) {
    if (seen.has(entry.question_id)) {
      throw invalidInput(["answers", index, "question_id"], "Duplicate question in answers");
    }
    seen.add(entry.question_id);
  }
  let correct = 0;
  for (const [index, entry] of submission.entries()) {
    const question = key.get(entry.question_id);
    if (!question) continue;
    const foreignAnswer = entry.answer_ids.findIndex((id) => !question.answers.has(id));
    if (foreignAnswer >= 0) {
      throw invalidInput(["answers", index, "answer_ids", foreignAnswer], "Answer does not belong to the question");
    }
    const chosen = new Set(entry.answer_ids);
    if (chosen.size === question.correct.size && [...chosen].every((id) => question.correct.has(id))) correct++;
  }
  return correct;
}

/** score / total × 100, to 2 decimals, half away from zero (exact: the division is of integers). */
const percentage = (score: number, total: number): number => Math.round((score * 10_000) / total) / 100;

/**
 * A member's or the owner's attempt: scored, then inserted together with `frequency = frequency + 1` in one
 * transaction, so concurrent submissions never lose a count (docs/quizzes.md#attempts).
 */
export async function submitAttempt(
  db: Database,
  userId: string,
  companyId: string,
  quizId: string,
  submission: Submission,
): Promise<Attempt> {
  const { role } = await requireVisibleCompany(db, companyId, userId);
  const key = await answerKeyOf(db, companyId, quizId);
  if (role === null) throw new TRPCError({ code: "FORBIDDEN", message: "Only company members can take quizzes" });
  const correct = score(key, submission);
  const total = key.size;
  const row = await onViolation(
    () =>
      db.transaction(async (tx) => {
        const inserted = await tx
          .insert(quizAttempts)
          .values({ user_id: userId, quiz_id: quizId, company_id: companyId, score: correct, total_questions: total })
          .returning();
        const counted = await tx
          .update(quizzes)
          .set({ frequency: sql`${quizzes.frequency} + 1` })
          .where(eq(quizzes.id, quizId))
          .returning({ id: quizzes.id });
        if (counted.length === 0) throw quizNotFound();
        return firstRow(inserted);
      }),
    {
      quiz_attempts_quiz_id_quizzes_id_fk: notFound("Quiz not found"),
      quiz_attempts_company_id_companies_id_fk: notFound("Company not found"),
    },
  );
  return {
    id: row.id,
    user_id: row.user_id,
    quiz_id: row.quiz_id,
    company_id: row.company_id,
    score: row.score,
    total_questions: row.total_questions,
    correct_answers: row.score,
    percentage: percentage(row.score, row.total_questions),
    completed_at: row.created_at.toISOString(),
  };
}

/** QuizStats over the attempts matching `filter`, in one aggregate query (the user's attempts index serves it). */
async function statsOf(db: Database, filter: SQL | undefined) {
  const [row] = await db
    .select({
      total_attempts: sql<number>`count(*)::int`,
      total_questions_answered: sql<number>`coalesce(sum(${quizAttempts.total_questions}), 0)::int`,
      total_correct_answers: sql<number>`coalesce(sum(${quizAttempts.score}), 0)::int`,
      // numeric round() is half away from zero.
      average_score: sql<number>`coalesce(round(sum(${quizAttempts.score}) * 100.0 / nullif(sum(${quizAttempts.total_questions}), 0), 2), 0)::float8`,
      last_attempt_at: sql<
        string | null
      >`to_char(max(${quizAttempts.created_at}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      companies_participated: sql<number>`count(distinct ${quizAttempts.company_id})::int`,
    })
    .from(quizAttempts)
    .where(filter);
  if (!row) throw new Error("an aggregate returned no row");
  const { companies_participated, ...stats } = row;
  return { stats: stats satisfies QuizStats, companies_participated };
}

/** The caller's attempts in one company, whether or not they belong to it now (zeros when none). */
export async function companyStats(db: Database, userId: string, companyId: string): Promise<CompanyStats> {
  const { company } = await requireVisibleCompany(db, companyId, userId);
  const { stats } = await statsOf(db, and(eq(quizAttempts.user_id, userId), eq(quizAttempts.company_id, companyId)));
  return { company_id: company.id, company_name: company.name, stats };
}

/** All of the caller's attempts, and in how many companies they were made. */
export async function userStats(db: Database, userId: string): Promise<UserStats> {
  return statsOf(db, eq(quizAttempts.user_id, userId));
}
