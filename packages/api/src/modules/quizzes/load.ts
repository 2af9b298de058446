import { asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { answers, questions, quizzes } from "../../db/schema.js";
import { withIsoTimestamps } from "../../schemas.js";
import type { ManagerAnswer, ManagerQuiz, MemberAnswer, MemberQuiz } from "./schemas.js";

export type QuizRow = typeof quizzes.$inferSelect;
type QuestionRow = typeof questions.$inferSelect;
type AnswerRow = typeof answers.$inferSelect;

/** Who reads a quiz: managers get the answer key, everyone else the member's shape. */
export type QuizView = "manager" | "member";
type QuizOf<View extends QuizView> = View extends "manager" ? ManagerQuiz : MemberQuiz;

/**
 * The questions and answers of the given quizzes in one query (questions joined to their answers, both by `order`),
 * whatever the number of quizzes or questions: never a query per question or per answer.
 */
export async function questionsOf(
  db: Database,
  quizIds: string[],
): Promise<{ question: QuestionRow; answer: AnswerRow | null }[]> {
  if (quizIds.length === 0) return [];
  return db
    .select({ question: questions, answer: answers })
    .from(questions)
    .leftJoin(answers, eq(answers.question_id, questions.id))
    .where(inArray(questions.quiz_id, quizIds))
    .orderBy(asc(questions.quiz_id), asc(questions.order), asc(answers.order));
}

/** The member's answer is built without the key: the field is never there to leak. */
function answerFor(view: QuizView, row: AnswerRow): ManagerAnswer | MemberAnswer {
  const { id, question_id, text, order, created_at, updated_at } = row;
  const answer = withIsoTimestamps({ id, question_id, text, order, created_at, updated_at });
  return view === "manager" ? { ...answer, is_correct: row.is_correct } : answer;
}

/** Quizzes with their questions and answers in the caller's view, from the rows `questionsOf` read. */
export function assembleQuizzes<View extends QuizView>(
  view: View,
  quizRows: QuizRow[],
  rows: { question: QuestionRow; answer: AnswerRow | null }[],
): QuizOf<View>[] {
  type Question = QuizOf<View>["questions"][number];
  const byQuiz = new Map<string, Question[]>();
  const byQuestion = new Map<string, Question>();
  for (const { question, answer } of rows) {
    let built = byQuestion.get(question.id);
    if (!built) {
      const { id, quiz_id, title, order, created_at, updated_at } = question;
      built = { ...withIsoTimestamps({ id, quiz_id, title, order, created_at, updated_at }), answers: [] } as Question;
      byQuestion.set(question.id, built);
      const siblings = byQuiz.get(quiz_id) ?? [];
      siblings.push(built);
      byQuiz.set(quiz_id, siblings);
    }
    if (answer) (built.answers as (ManagerAnswer | MemberAnswer)[]).push(answerFor(view, answer));
  }
  return quizRows.map((quiz) => {
    const { id, company_id, title, description, frequency, created_at, updated_at } = quiz;
    const fields = withIsoTimestamps({ id, company_id, title, description, frequency, created_at, updated_at });
    return { ...fields, questions: byQuiz.get(quiz.id) ?? [] } as QuizOf<View>;
  });
}

/** One quiz in the caller's view: its row and its questions read together, two queries in all. */
export async function loadQuiz<View extends QuizView>(
  db: Database,
  view: View,
  companyId: string,
  quizId: string,
): Promise<QuizOf<View> | undefined> {
  const [quizRows, rows] = await Promise.all([
    db.select().from(quizzes).where(eq(quizzes.id, quizId)).limit(1),
    questionsOf(db, [quizId]),
  ]);
  const quiz = quizRows[0];
  if (!quiz || quiz.company_id !== companyId) return undefined;
  return assembleQuizzes(view, [quiz], rows)[0];
}
