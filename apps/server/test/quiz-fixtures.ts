import { insertMember } from "@internship/api/testing";
import { companyScene } from "./company-fixtures.js";
import { expectJson } from "./expect.js";
import { createUserWithToken, type TestApp } from "./helpers.js";

export type AnswerBody = { text: string; is_correct: boolean; order: number };
export type QuestionBody = { title: string; order: number; answers: AnswerBody[] };
export type QuizBody = { title: string; description?: string | null; questions: QuestionBody[] };

export type Answer = AnswerBody & { id: string; question_id: string; created_at: string; updated_at: string };
export type Question = { id: string; quiz_id: string; title: string; order: number; answers: Answer[] };
export type Quiz = {
  id: string;
  company_id: string;
  title: string;
  description: string | null;
  frequency: number;
  questions: Question[];
  created_at: string;
  updated_at: string;
};

/** A question whose first answer is correct (two answers, or `answers` of its own). */
export const question = (order: number, answers?: AnswerBody[]): QuestionBody => ({
  title: `Question ${order}`,
  order,
  answers: answers ?? [
    { text: `Right ${order}`, is_correct: true, order: 0 },
    { text: `Wrong ${order}`, is_correct: false, order: 1 },
  ],
});

/** A valid quiz body with `count` questions. */
export const quizBody = (count = 3, overrides: Partial<QuizBody> = {}): QuizBody => ({
  title: "General knowledge",
  description: "A few questions",
  questions: Array.from({ length: count }, (_, index) => question(index)),
  ...overrides,
});

export const quizzesPath = (companyId: string) => `/companies/${companyId}/quizzes`;

/** Creates a quiz over REST as `token` (fails the test on anything but 201). */
export async function createQuiz(t: TestApp, companyId: string, token: string, body: unknown = quizBody()) {
  const response = await t.request(quizzesPath(companyId), { method: "POST", token, json: body });
  return expectJson<Quiz>(response, 201);
}

/** A company scene with an admin too, and a quiz the owner created. */
export async function quizScene(t: TestApp, company: Parameters<typeof companyScene>[1] = {}, body = quizBody()) {
  const scene = await companyScene(t, company);
  const admin = await createUserWithToken(t);
  await insertMember(t.deps.db, scene.company.id, admin.user.id, { is_admin: true });
  const quiz = await createQuiz(t, scene.company.id, scene.owner.token, body);
  return { ...scene, admin, quiz };
}

/** Every key of every answer of a quiz-shaped body. */
export const answerKeys = (quiz: { questions: { answers: object[] }[] }) =>
  new Set(quiz.questions.flatMap((q) => q.answers.flatMap((answer) => Object.keys(answer))));

type Entry = { question_id: string; answer_ids: string[] };

/** A submission choosing, for each question of a manager's view, its correct answers (or the wrong ones). */
export const submission = (quiz: Quiz, correct: (question: Question, index: number) => boolean = () => true) =>
  quiz.questions.map(
    (q, index): Entry => ({
      question_id: q.id,
      answer_ids: q.answers.filter((answer) => answer.is_correct === correct(q, index)).map((answer) => answer.id),
    }),
  );

export const attemptsPath = (companyId: string, quizId: string) => `/companies/${companyId}/quizzes/${quizId}/attempts`;

/** Submits `answers` over REST as `token`. */
export const submit = (t: TestApp, quiz: Quiz, token: string, answers: unknown = submission(quiz)) =>
  t.request(attemptsPath(quiz.company_id, quiz.id), { method: "POST", token, json: { answers } });
