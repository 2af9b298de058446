/**
 * The floor's quiz endpoints (see floor.ts): reading a quiz as an anonymous caller and submitting an attempt, with the
 * SQL text the quizzes and attempts services send, prepared where they prepare (drizzle reads rows as arrays: `.values()`).
 */
import type { Hono } from "hono";
import type postgres from "postgres";

type Sql = postgres.Sql;
type Context = { req: { header(name: string): string | undefined } };
type Caller = { id: string } | { status: 401 | 403; detail: string; code: string };

const PREPARED = { prepare: true };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUIZ = `select "id", "company_id", "title", "description", "frequency", "created_at", "updated_at" from "quizzes" where "quizzes"."id" = $1 limit $2`;
const QUIZ_COMPANY = `select "company_id" from "quizzes" where "quizzes"."id" = $1 limit $2`;
const QUESTIONS = `select "questions"."id", "questions"."quiz_id", "questions"."title", "questions"."order", "questions"."created_at", "questions"."updated_at", "answers"."id", "answers"."question_id", "answers"."text", "answers"."is_correct", "answers"."order", "answers"."created_at", "answers"."updated_at" from "questions" left join "answers" on "answers"."question_id" = "questions"."id" where "questions"."quiz_id" = $1 order by "questions"."quiz_id" asc, "questions"."order" asc, "answers"."order" asc`;
const INSERT_ATTEMPT = `insert into "quiz_attempts" ("id", "user_id", "quiz_id", "company_id", "score", "total_questions", "created_at", "updated_at") values (default, $1, $2, $3, $4, $5, default, default) returning "id", "user_id", "quiz_id", "company_id", "score", "total_questions", "created_at", "updated_at"`;
const COUNT_ATTEMPT = `update "quizzes" set "frequency" = "quizzes"."frequency" + 1 where "quizzes"."id" = $1 returning "id"`;

const error = (detail: string, code: string) => ({ detail, code });
const iso = (value: unknown) => (value as Date).toISOString();

type Row = unknown[];
type Question = Record<string, unknown> & { answers: Record<string, unknown>[] };

/** The member's view of a quiz's questions (no `is_correct`), from the joined rows. */
function memberQuestions(rows: Row[]): Question[] {
  const questions: Question[] = [];
  let current: Question | undefined;
  for (const row of rows) {
    if (current === undefined || current.id !== row[0]) {
      current = {
        id: row[0],
        quiz_id: row[1],
        title: row[2],
        order: row[3],
        answers: [],
        created_at: iso(row[4]),
        updated_at: iso(row[5]),
      };
      questions.push(current);
    }
    if (row[6] !== null) {
      current.answers.push({
        id: row[6],
        question_id: row[7],
        text: row[8],
        order: row[10],
        created_at: iso(row[11]),
        updated_at: iso(row[12]),
      });
    }
  }
  return questions;
}

type Entry = { question_id: string; answer_ids: string[] };
const isSubmission = (value: unknown): value is Entry[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every(
    (entry) =>
      typeof entry?.question_id === "string" &&
      UUID.test(entry.question_id) &&
      Array.isArray(entry.answer_ids) &&
      entry.answer_ids.length > 0 &&
      entry.answer_ids.every((id: unknown) => typeof id === "string" && UUID.test(id)),
  );

/** The attempt's score, or the 422 detail; the same checks, in the same order, as the attempts service. */
function score(rows: Row[], entries: Entry[]): number | string {
  const key = new Map<string, { answers: Set<string>; correct: Set<string> }>();
  for (const row of rows) {
    const entry = key.get(row[0] as string) ?? { answers: new Set(), correct: new Set() };
    key.set(row[0] as string, entry);
    if (row[6] === null) continue;
    entry.answers.add(row[6] as string);
    if (row[9]) entry.correct.add(row[6] as string);
  }
  const ids = entries.map((entry) => entry.question_id.toLowerCase());
  if (ids.some((id) => !key.has(id)) || new Set(ids).size < key.size) return "Must answer all questions";
  if (new Set(ids).size < ids.length) return "Duplicate question in answers";
  let correct = 0;
  for (const [index, entry] of entries.entries()) {
    const question = key.get(ids[index] as string);
    const chosen = new Set(entry.answer_ids.map((id) => id.toLowerCase()));
    if (!question || [...chosen].some((id) => !question.answers.has(id)))
      return "Answer does not belong to the question";
    if (chosen.size === question.correct.size && [...chosen].every((id) => question.correct.has(id))) correct++;
  }
  return correct;
}

export function quizRoutes(app: Hono, sql: Sql, company: string, caller: (c: Context) => Promise<Caller>): void {
  app.get("/companies/:companyId/quizzes/:quizId", async (c) => {
    const { companyId, quizId } = c.req.param();
    if (!UUID.test(companyId)) return c.json(error("Company not found", "NOT_FOUND"), 404);
    if (!UUID.test(quizId)) return c.json(error("Quiz not found", "NOT_FOUND"), 404);
    const [access] = await sql.unsafe(company, [null, companyId.toLowerCase(), 1], PREPARED);
    if (!access?.is_visible) return c.json(error("Company not found", "NOT_FOUND"), 404);
    const id = quizId.toLowerCase();
    const [[quiz], rows] = await Promise.all([
      sql.unsafe(QUIZ, [id, 1], PREPARED).values(),
      sql.unsafe(QUESTIONS, [id], PREPARED).values(),
    ]);
    if (!quiz || quiz[1] !== access.id) return c.json(error("Quiz not found", "NOT_FOUND"), 404);
    return c.json({
      id: quiz[0],
      company_id: quiz[1],
      title: quiz[2],
      description: quiz[3],
      frequency: quiz[4],
      questions: memberQuestions(rows as unknown as Row[]),
      created_at: iso(quiz[5]),
      updated_at: iso(quiz[6]),
    });
  });

  app.post("/companies/:companyId/quizzes/:quizId/attempts", async (c) => {
    const user = await caller(c);
    if (!("id" in user)) return c.json(error(user.detail, user.code), user.status);
    const body = (await c.req.json().catch(() => null)) as { answers?: unknown } | null;
    const { companyId, quizId } = c.req.param();
    if (!isSubmission(body?.answers)) return c.json(error("Validation error", "BAD_REQUEST"), 422);
    if (!UUID.test(companyId)) return c.json(error("Company not found", "NOT_FOUND"), 404);
    if (!UUID.test(quizId)) return c.json(error("Quiz not found", "NOT_FOUND"), 404);
    const [access] = await sql.unsafe(company, [user.id, companyId.toLowerCase(), 1], PREPARED);
    const role = access && (access.owner_id === user.id || access.is_admin !== null);
    if (!access || (!access.is_visible && !role)) return c.json(error("Company not found", "NOT_FOUND"), 404);
    const id = quizId.toLowerCase();
    const [[quiz], rows] = await Promise.all([
      sql.unsafe(QUIZ_COMPANY, [id, 1]).values(),
      sql.unsafe(QUESTIONS, [id], PREPARED).values(),
    ]);
    if (!quiz || quiz[0] !== access.id) return c.json(error("Quiz not found", "NOT_FOUND"), 404);
    if (!role) return c.json(error("Only company members can take quizzes", "FORBIDDEN"), 403);
    const result = score(rows as unknown as Row[], body.answers);
    if (typeof result === "string") return c.json(error(result, "BAD_REQUEST"), 422);
    const total = new Set((rows as unknown as Row[]).map((row) => row[0])).size;
    const attempt = await sql.begin(async (tx) => {
      const [row] = await tx.unsafe(INSERT_ATTEMPT, [user.id, id, access.id, result, total]).values();
      await tx.unsafe(COUNT_ATTEMPT, [id]).values();
      return row as Row;
    });
    return c.json(
      {
        id: attempt[0],
        user_id: attempt[1],
        quiz_id: attempt[2],
        company_id: attempt[3],
        score: attempt[4],
        total_questions: attempt[5],
        correct_answers: attempt[4],
        percentage: Math.round(((attempt[4] as number) * 10_000) / (attempt[5] as number)) / 100,
        completed_at: iso(attempt[6]),
      },
      201,
    );
  });
}
