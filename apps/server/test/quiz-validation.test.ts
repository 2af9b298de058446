import { quizSnapshot } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectJson } from "./expect.js";
import { createTestApp, type TestApp, trpcClient } from "./helpers.js";
import { createQuiz, type QuestionBody, question, quizBody, quizScene, quizzesPath } from "./quiz-fixtures.js";

let t: TestApp;
let scene: Awaited<ReturnType<typeof quizScene>>;
beforeAll(async () => {
  t = await createTestApp();
  scene = await quizScene(t);
});
afterAll(() => t.close());

/** Three valid questions, the middle one changed by `change`. */
const withMiddle = (change: (middle: QuestionBody) => unknown) => {
  const questions: unknown[] = [question(0), question(1), question(2)];
  questions[1] = change(question(1));
  return questions;
};
const answer = (overrides: Record<string, unknown>) => ({ text: "Answer", is_correct: true, order: 0, ...overrides });
const middleAnswer = (index: number, overrides: Record<string, unknown>) =>
  withMiddle((middle) => ({
    ...middle,
    answers: middle.answers.map((a, i) => (i === index ? { ...a, ...overrides } : a)),
  }));

type Case = [string, Record<string, unknown>, (string | number)[]];

const BAD_BODIES: Case[] = [
  ["a blank title", { title: "   " }, ["title"]],
  ["a title over 255 characters", { title: "t".repeat(256) }, ["title"]],
  ["a title with U+0000", { title: "a\u0000b" }, ["title"]],
  ["a description over 2000 characters", { description: "d".repeat(2001) }, ["description"]],
  ["one question", { questions: [question(0)] }, ["questions"]],
  ["101 questions", { questions: Array.from({ length: 101 }, (_, i) => question(i)) }, ["questions"]],
  ["questions that are not an array", { questions: { 0: question(0) } }, ["questions"]],
  ["a blank question title", { questions: withMiddle((q) => ({ ...q, title: "" })) }, ["questions", 1, "title"]],
  [
    "a question title over 1000 characters",
    { questions: withMiddle((q) => ({ ...q, title: "q".repeat(1001) })) },
    ["questions", 1, "title"],
  ],
  ["a negative order", { questions: withMiddle((q) => ({ ...q, order: -1 })) }, ["questions", 1, "order"]],
  ["a fractional order", { questions: withMiddle((q) => ({ ...q, order: 1.5 })) }, ["questions", 1, "order"]],
  ["an order given as text", { questions: withMiddle((q) => ({ ...q, order: "1" })) }, ["questions", 1, "order"]],
  ["an order past 32 bits", { questions: withMiddle((q) => ({ ...q, order: 2 ** 31 })) }, ["questions", 1, "order"]],
  ["a repeated question order", { questions: withMiddle((q) => ({ ...q, order: 0 })) }, ["questions", 1, "order"]],
  ["one answer", { questions: withMiddle((q) => ({ ...q, answers: [answer({})] })) }, ["questions", 1, "answers"]],
  [
    "five answers",
    { questions: withMiddle((q) => ({ ...q, answers: [0, 1, 2, 3, 4].map((order) => answer({ order })) })) },
    ["questions", 1, "answers"],
  ],
  ["no correct answer", { questions: middleAnswer(0, { is_correct: false }) }, ["questions", 1, "answers"]],
  ["a repeated answer order", { questions: middleAnswer(1, { order: 0 }) }, ["questions", 1, "answers", 1, "order"]],
  ["a blank answer text", { questions: middleAnswer(0, { text: " " }) }, ["questions", 1, "answers", 0, "text"]],
  [
    "an answer text over 500 characters",
    { questions: middleAnswer(0, { text: "a".repeat(501) }) },
    ["questions", 1, "answers", 0, "text"],
  ],
  [
    "is_correct given as text",
    { questions: middleAnswer(1, { is_correct: "false" }) },
    ["questions", 1, "answers", 1, "is_correct"],
  ],
  [
    "is_correct missing",
    { questions: middleAnswer(1, { is_correct: undefined }) },
    ["questions", 1, "answers", 1, "is_correct"],
  ],
];

async function expectIssue(response: Response, path: (string | number)[]) {
  const body = (await response.json()) as { detail: string; issues?: { path: unknown[] }[] };
  expect({ status: response.status, detail: body.detail }).toEqual({ status: 422, detail: "Validation error" });
  expect(body.issues?.map((issue) => issue.path)).toContainEqual(path);
}

describe("quiz input rules", () => {
  it.each(BAD_BODIES)("creating with %s is 422 naming the field; no quiz is created", async (_name, change, path) => {
    const before = await quizCount();
    const response = await t.request(quizzesPath(scene.company.id), {
      method: "POST",
      token: scene.owner.token,
      json: { ...quizBody(), ...change },
    });
    await expectIssue(response, path);
    expect(await quizCount()).toBe(before);
  });

  it.each(BAD_BODIES)(
    "updating with %s is 422 naming the field; the old quiz stays intact",
    async (_n, change, path) => {
      const before = await quizSnapshot(t.deps.db, scene.quiz.id);
      const response = await t.request(`${quizzesPath(scene.company.id)}/${scene.quiz.id}`, {
        method: "PUT",
        token: scene.admin.token,
        json: { title: "Would change", ...change },
      });
      await expectIssue(response, path);
      expect(await quizSnapshot(t.deps.db, scene.quiz.id)).toEqual(before);
    },
  );

  it("a missing title or missing questions on create is 422 naming them", async () => {
    const response = await t.request(quizzesPath(scene.company.id), {
      method: "POST",
      token: scene.owner.token,
      json: { description: "only" },
    });
    const body = (await response.json()) as { issues: { path: unknown[] }[] };
    expect(response.status).toBe(422);
    expect(body.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([["title"], ["questions"]]));
  });

  it("exactly 100 questions with 4 answers each, all correct, is accepted", async () => {
    const answers = [0, 1, 2, 3].map((order) => answer({ order, text: `A${order}` }));
    const body = quizBody(0, { questions: Array.from({ length: 100 }, (_, i) => question(i, answers)) });
    const quiz = await createQuiz(t, scene.company.id, scene.owner.token, body);
    expect(quiz.questions).toHaveLength(100);
    expect(quiz.questions.every((q) => q.answers.length === 4)).toBe(true);
  });

  it("over tRPC the same rules answer BAD_REQUEST with the field path", async () => {
    const call = trpcClient(t, scene.owner.token).companies.quizzes.create.mutate({
      company_id: scene.company.id,
      title: "x",
      questions: [question(0)],
    });
    const error = await call.then(
      () => expect.fail("expected a validation error"),
      (reason: { data?: { code?: string; issues?: { path: unknown[] }[] } }) => reason,
    );
    expect(error.data?.code).toBe("BAD_REQUEST");
    expect(error.data?.issues?.map((issue) => issue.path)).toContainEqual(["questions"]);
  });
});

async function quizCount(): Promise<number> {
  const list = await t.request(quizzesPath(scene.company.id), { token: scene.owner.token });
  return (await expectJson<{ total: number }>(list, 200)).total;
}
