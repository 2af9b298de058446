import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { preparedPerDatabase } from "../../db/prepared.js";
import { answers, questions, quizzes } from "../../db/schema.js";
import { withIsoTimestamps } from "../../schemas.js";
import type { ManagerAnswer, ManagerQuiz, MemberAnswer, MemberQuiz } from "./schemas.js";

export type QuizRow = typeof quizzes.$inferSelect;
type QuestionRow = typeof questions.$inferSelect;
type AnswerRow = typeof answers.$inferSelect;

/** Who reads a quiz: managers get the answer key, everyone else the member's shape. */
export type QuizView = "manager" | "member";
type QuizOf<View extends QuizView> = View extends "manager" ? ManagerQuiz : MemberQuiz;

type QuestionAnswerRow = { question: QuestionRow; answer: AnswerRow | null };

const joinedColumns = { question: questions, answer: answers };
const questionOrder = [asc(questions.quiz_id), asc(questions.order), asc(answers.order)];

// Reading one quiz is the hot path (every attempt reads its key): prepared, as the other hottest reads are.
const questionsOfOne = preparedPerDatabase((db) =>
  db
    .select(joinedColumns)
    .from(questions)
    .leftJoin(answers, eq(answers.question_id, questions.id))
    .where(eq(questions.quiz_id, sql.placeholder("quizId")))
    .orderBy(...questionOrder)
    .prepare("questions_of_quiz"),
);

const quizById = preparedPerDatabase((db) =>
  db
    .select()
    .from(quizzes)
    .where(eq(quizzes.id, sql.placeholder("quizId")))
    .limit(1)
    .prepare("quiz_by_id"),
);

/**
 * The questions and answers of the given quizzes in one query (questions joined to their answers, both by `order`),
 * whatever the number of quizzes or questions: never a query per question or per answer.
 */
export async function questionsOf(db: Database, quizIds: string[]): Promise<QuestionAnswerRow[]> {
  if (quizIds.length === 0) return [];
  if (quizIds.length === 1) return questionsOfOne(db).execute({ quizId: quizIds[0] });
  return db
    .select(joinedColumns)
    .from(questions)
    .leftJoin(answers, eq(answers.question_id, questions.id))
    .where(inArray(questions.quiz_id, quizIds))
    .orderBy(...questionOrder);
}

/** The member's answer is built without the key: the field is never there to leak. */
function answerFor(view: QuizView, row: AnswerRow): ManagerAnswer | MemberAnswer {
  const { id, question_id, text, order } = row;
  const [created_at, updated_at] = [row.created_at.toISOString(), row.updated_at.toISOString()];
  return view === "manager"
    ? { id, question_id, text, is_correct: row.is_correct, order, created_at, updated_at }
    : { id, question_id, text, order, created_at, updated_at };
}

/** Quizzes with their questions and answers in the caller's view, from the rows `questionsOf` read. */
export function assembleQuizzes<View extends QuizView>(
  view: View,
  quizRows: QuizRow[],
  rows: QuestionAnswerRow[],
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
  const [quizRows, rows] = await Promise.all([quizById(db).execute({ quizId }), questionsOf(db, [quizId])]);
  const quiz = quizRows[0];
  if (!quiz || quiz.company_id !== companyId) return undefined;
  return assembleQuizzes(view, [quiz], rows)[0];
}
