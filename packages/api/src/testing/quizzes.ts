import { asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { answers, notifications, questions, quizAttempts, quizzes } from "../db/schema.js";

/** Every row of one quiz, in a fixed order: equal snapshots mean a request changed nothing. */
export async function quizSnapshot(db: Database, quizId: string) {
  const [quiz, questionRows] = await Promise.all([
    db.select().from(quizzes).where(eq(quizzes.id, quizId)),
    db.select().from(questions).where(eq(questions.quiz_id, quizId)).orderBy(asc(questions.order)),
  ]);
  const ids = questionRows.map((question) => question.id);
  const answerRows =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(answers)
          .where(inArray(answers.question_id, ids))
          .orderBy(asc(answers.question_id), asc(answers.order));
  const attempts = await db.select().from(quizAttempts).where(eq(quizAttempts.quiz_id, quizId));
  return { quiz: quiz[0], questions: questionRows, answers: answerRows, attempts };
}

/** The notifications that mention a quiz (its `related_entity_id`). */
export function notificationsAbout(db: Database, quizId: string) {
  return db.select().from(notifications).where(eq(notifications.related_entity_id, quizId));
}
