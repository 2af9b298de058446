import { TRPCError } from "@trpc/server";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { answers, companyMembers, notifications, questions, quizzes } from "../../db/schema.js";
import { firstRow } from "../../errors.js";
import { cursorAt, fetchPage, inWindow, type PageRequest } from "../../pagination.js";
import { isManager, requireManager, requireVisibleCompany } from "../companies/access.js";
import { assembleQuizzes, loadQuiz, type QuizRow, type QuizView, questionsOf } from "./load.js";
import type { CreateQuizInput, ManagerQuiz, QuestionInput, Quiz, QuizList, QuizPatch } from "./schemas.js";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export const quizNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Quiz not found" });

const MESSAGE_LIMIT = 500;

/** A notification message cut to the column's 500 characters (499 and an ellipsis). */
const fitMessage = (message: string): string => {
  const characters = [...message];
  return characters.length <= MESSAGE_LIMIT ? message : `${characters.slice(0, MESSAGE_LIMIT - 1).join("")}…`;
};

/** All questions of a quiz in one INSERT, then all their answers in another. */
async function insertQuestions(tx: Transaction, quizId: string, input: QuestionInput[]): Promise<void> {
  const inserted = await tx
    .insert(questions)
    .values(input.map((question) => ({ quiz_id: quizId, title: question.title, order: question.order })))
    .returning({ id: questions.id, order: questions.order });
  const idByOrder = new Map(inserted.map((row) => [row.order, row.id]));
  const answerRows = input.flatMap((question) =>
    question.answers.map((answer) => ({
      question_id: idByOrder.get(question.order) as string,
      text: answer.text,
      is_correct: answer.is_correct,
      order: answer.order,
    })),
  );
  await tx.insert(answers).values(answerRows);
}

/**
 * A new quiz with its questions and answers, and a `quiz_created` notification to every member row but the creator's
 * (the owner has none), all in one transaction.
 */
export async function createQuiz(
  db: Database,
  userId: string,
  companyId: string,
  input: CreateQuizInput,
): Promise<ManagerQuiz> {
  const { company } = await requireManager(db, companyId, userId);
  return db.transaction(async (tx) => {
    const quiz = firstRow(
      await tx
        .insert(quizzes)
        .values({ company_id: companyId, title: input.title, description: input.description ?? null })
        .returning(),
    );
    await insertQuestions(tx, quiz.id, input.questions);
    const message = fitMessage(`New quiz '${quiz.title}' has been created in ${company.name}. Take it now!`);
    await tx.insert(notifications).select(
      tx
        .select({
          id: sql`gen_random_uuid()`.as("id"),
          user_id: companyMembers.user_id,
          message: sql`${message}`.as("message"),
          notification_type: sql`'quiz_created'`.as("notification_type"),
          is_read: sql`false`.as("is_read"),
          read_at: sql`null::timestamptz`.as("read_at"),
          related_entity_id: sql`${quiz.id}::uuid`.as("related_entity_id"),
          created_at: sql`now()`.as("created_at"),
          updated_at: sql`now()`.as("updated_at"),
        })
        .from(companyMembers)
        .where(and(eq(companyMembers.company_id, companyId), ne(companyMembers.user_id, userId))),
    );
    return firstRow(assembleQuizzes("manager", [quiz], await questionsOf(tx, [quiz.id])));
  });
}

const viewOf = (role: Parameters<typeof isManager>[0]): QuizView => (isManager(role) ? "manager" : "member");

/** A company's quizzes, newest first, each with its questions; the answer key only for managers. */
export async function listQuizzes(
  db: Database,
  viewerId: string | null,
  companyId: string,
  page: PageRequest,
): Promise<QuizList> {
  const { role } = await requireVisibleCompany(db, companyId, viewerId);
  const ofCompany = eq(quizzes.company_id, companyId);
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(page, `quizzes:${companyId}`, (window) =>
      inWindow(
        db
          .select({ quiz: quizzes, id: quizzes.id, cursor_at: cursorAt(quizzes.created_at) })
          .from(quizzes)
          .$dynamic(),
        quizzes,
        ofCompany,
        window,
      ),
    ),
    db.$count(quizzes, ofCompany),
  ]);
  const quizRows: QuizRow[] = rows.map((row) => row.quiz);
  const children = await questionsOf(
    db,
    quizRows.map((quiz) => quiz.id),
  );
  return { quizzes: assembleQuizzes(viewOf(role), quizRows, children), total, next_cursor };
}

export async function getQuiz(db: Database, viewerId: string | null, companyId: string, quizId: string): Promise<Quiz> {
  const { role } = await requireVisibleCompany(db, companyId, viewerId);
  const quiz = await loadQuiz(db, viewOf(role), companyId, quizId);
  if (!quiz) throw quizNotFound();
  return quiz;
}

/**
 * A partial update in one transaction (docs/quizzes.md#updates): the quiz row is locked, `questions`, when given,
 * replace every question and answer (new ids), and `updated_at` moves only when something changed.
 */
export async function updateQuiz(
  db: Database,
  userId: string,
  companyId: string,
  quizId: string,
  patch: QuizPatch,
): Promise<ManagerQuiz> {
  await requireManager(db, companyId, userId);
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(quizzes)
      .where(and(eq(quizzes.id, quizId), eq(quizzes.company_id, companyId)))
      .for("update");
    if (!current) throw quizNotFound();
    const changes: Partial<Pick<QuizRow, "title" | "description">> = {};
    if (patch.title != null && patch.title !== current.title) changes.title = patch.title;
    if (patch.description !== undefined && patch.description !== current.description) {
      changes.description = patch.description;
    }
    if (patch.questions != null) {
      await tx.delete(questions).where(eq(questions.quiz_id, quizId));
      await insertQuestions(tx, quizId, patch.questions);
    }
    let row = current;
    if (patch.questions != null || Object.keys(changes).length > 0) {
      row = firstRow(
        await tx
          .update(quizzes)
          .set({ ...changes, updated_at: sql`now()` })
          .where(eq(quizzes.id, quizId))
          .returning(),
      );
    }
    return firstRow(assembleQuizzes("manager", [row], await questionsOf(tx, [quizId])));
  });
}

/** Its questions, answers and attempts go with it (ON DELETE CASCADE). */
export async function deleteQuiz(db: Database, userId: string, companyId: string, quizId: string): Promise<void> {
  await requireManager(db, companyId, userId);
  const deleted = await db
    .delete(quizzes)
    .where(and(eq(quizzes.id, quizId), eq(quizzes.company_id, companyId)))
    .returning({ id: quizzes.id });
  if (deleted.length === 0) throw quizNotFound();
}
