import { quizSnapshot } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectJson, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, type TestApp, trpcClient } from "./helpers.js";
import { attemptsPath, createQuiz, question, quizBody, quizScene, submission, submit } from "./quiz-fixtures.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Attempt = { id: string; score: number; total_questions: number; correct_answers: number; percentage: number };

async function expectIssue(response: Response, detail: string, path: (string | number)[]) {
  expect({ status: response.status, body: await response.json() }).toMatchObject({
    status: 422,
    body: { detail, code: "BAD_REQUEST", issues: [{ path }] },
  });
}

describe("POST /companies/{company_id}/quizzes/{quiz_id}/attempts", () => {
  it("a member submits: 201 Attempt, scored exactly, frequency +1", async () => {
    const { quiz, member } = await quizScene(t);
    const response = await submit(
      t,
      quiz,
      member.token,
      submission(quiz, (_q, index) => index !== 1),
    );
    const attempt = await expectJson<Attempt & Record<string, unknown>>(response, 201);
    expect(attempt).toEqual({
      id: expect.any(String),
      user_id: member.user.id,
      quiz_id: quiz.id,
      company_id: quiz.company_id,
      score: 2,
      total_questions: 3,
      correct_answers: 2,
      percentage: 66.67,
      completed_at: expect.stringMatching(ISO_UTC),
    });
    const rows = await quizSnapshot(t.deps.db, quiz.id);
    expect(rows.quiz?.frequency).toBe(1);
    expect(rows.attempts).toEqual([expect.objectContaining({ id: attempt.id, score: 2, total_questions: 3 })]);
  });

  it("exact-set scoring: all correct answers needed, none extra; duplicate ids collapse", async () => {
    const { company, owner, member } = await quizScene(t);
    const answers = [
      { text: "a", is_correct: true, order: 0 },
      { text: "b", is_correct: true, order: 1 },
      { text: "c", is_correct: false, order: 2 },
    ];
    const quiz = await createQuiz(t, company.id, owner.token, {
      title: "Sets",
      questions: [question(0, answers), question(1)],
    });
    const [multi, single] = quiz.questions;
    const [a, b, c] = multi?.answers.map((answer) => answer.id) ?? [];
    const other = submission(quiz)[1];
    const scoreOf = async (ids: (string | undefined)[]) =>
      (
        await expectJson<Attempt>(
          await submit(t, quiz, member.token, [{ question_id: multi?.id, answer_ids: ids }, other]),
          201,
        )
      ).score;
    expect(await scoreOf([a, b])).toBe(2);
    expect(await scoreOf([b, a, a, b])).toBe(2);
    expect(await scoreOf([a])).toBe(1);
    expect(await scoreOf([a, b, c])).toBe(1);
    expect(await scoreOf([c])).toBe(1);
    expect(single?.answers).toHaveLength(2);
  });

  it("the owner may submit, any number of times; the percentage of 0 and of all correct", async () => {
    const { quiz, owner } = await quizScene(t);
    const none = await expectJson<Attempt>(
      await submit(
        t,
        quiz,
        owner.token,
        submission(quiz, () => false),
      ),
      201,
    );
    const all = await expectJson<Attempt>(await submit(t, quiz, owner.token), 201);
    expect([none.percentage, all.percentage, all.score]).toEqual([0, 100, 3]);
    expect((await quizSnapshot(t.deps.db, quiz.id)).quiz?.frequency).toBe(2);
  });

  it("an outsider is 403; a hidden company is 404 to them; unknown quiz 404; no token 401; nothing counted", async () => {
    const { quiz, outsider, company } = await quizScene(t);
    await expectError(await submit(t, quiz, outsider.token), 403, "Only company members can take quizzes");
    await expectError(await submit(t, { ...quiz, id: UNKNOWN_ID }, outsider.token), 404, "Quiz not found");
    await expectError(await submit(t, { ...quiz, company_id: UNKNOWN_ID }, outsider.token), 404, "Company not found");
    const other = await quizScene(t);
    await expectError(
      await submit(t, { ...other.quiz, company_id: company.id }, outsider.token),
      404,
      "Quiz not found",
    );
    const anonymous = await t.request(attemptsPath(company.id, quiz.id), { method: "POST", json: { answers: [] } });
    expect(anonymous.status).toBe(401);
    const hidden = await quizScene(t, { is_visible: false });
    await expectError(await submit(t, hidden.quiz, hidden.outsider.token), 404, "Company not found");
    expect((await quizSnapshot(t.deps.db, quiz.id)).quiz?.frequency).toBe(0);
  });
});

describe("submission rules: 422 with the entry named, nothing recorded", () => {
  it("a missing question, a foreign question, a repeated question, a foreign or unknown answer", async () => {
    const { quiz, member } = await quizScene(t);
    const other = await quizScene(t);
    const [first, second, third] = submission(quiz);
    const foreignAnswer = other.quiz.questions[0]?.answers[0]?.id;
    await expectIssue(await submit(t, quiz, member.token, [first, second]), "Must answer all questions", ["answers"]);
    await expectIssue(
      await submit(t, quiz, member.token, [first, second, third, submission(other.quiz)[0]]),
      "Must answer all questions",
      ["answers", 3, "question_id"],
    );
    await expectIssue(
      await submit(t, quiz, member.token, [first, second, third, first]),
      "Duplicate question in answers",
      ["answers", 3, "question_id"],
    );
    for (const wrong of [foreignAnswer, UNKNOWN_ID, first?.answer_ids[0]]) {
      const entry = { question_id: second?.question_id, answer_ids: [second?.answer_ids[0], wrong] };
      await expectIssue(
        await submit(t, quiz, member.token, [first, entry, third]),
        "Answer does not belong to the question",
        ["answers", 1, "answer_ids", 1],
      );
    }
    const rows = await quizSnapshot(t.deps.db, quiz.id);
    expect({ frequency: rows.quiz?.frequency, attempts: rows.attempts }).toEqual({ frequency: 0, attempts: [] });
  });

  it.each([
    ["no answers field", {}, ["answers"]],
    ["an empty answers array", { answers: [] }, ["answers"]],
    [
      "a question id that is not a UUID",
      { answers: [{ question_id: "x", answer_ids: [UNKNOWN_ID] }] },
      ["answers", 0, "question_id"],
    ],
    ["no answer ids", { answers: [{ question_id: UNKNOWN_ID, answer_ids: [] }] }, ["answers", 0, "answer_ids"]],
    [
      "an answer id that is not a UUID",
      { answers: [{ question_id: UNKNOWN_ID, answer_ids: [5] }] },
      ["answers", 0, "answer_ids", 0],
    ],
  ])("%s is 422 naming the field", async (_name, body, path) => {
    const { quiz, member } = await quizScene(t);
    const response = await t.request(attemptsPath(quiz.company_id, quiz.id), {
      method: "POST",
      token: member.token,
      json: body,
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { issues: { path: unknown[] }[] }).issues.map((i) => i.path)).toContainEqual(
      path,
    );
    expect((await quizSnapshot(t.deps.db, quiz.id)).attempts).toEqual([]);
  });

  it("an attempt survives a later update of the quiz, which replaces its questions", async () => {
    const { quiz, member, owner } = await quizScene(t);
    await expectJson(await submit(t, quiz, member.token), 201);
    const put = await t.request(`/companies/${quiz.company_id}/quizzes/${quiz.id}`, {
      method: "PUT",
      token: owner.token,
      json: quizBody(2),
    });
    expect(put.status).toBe(200);
    await expectIssue(await submit(t, quiz, member.token), "Must answer all questions", ["answers", 0, "question_id"]);
    expect((await quizSnapshot(t.deps.db, quiz.id)).attempts).toHaveLength(1);
  });
});

describe("concurrent submissions", () => {
  it("20 at once: twenty 201s, twenty attempts and frequency exactly 20", async () => {
    const { quiz, member } = await quizScene(t);
    const responses = await Promise.all(Array.from({ length: 20 }, () => submit(t, quiz, member.token)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const rows = await quizSnapshot(t.deps.db, quiz.id);
    expect({ frequency: rows.quiz?.frequency, attempts: rows.attempts.length }).toEqual({
      frequency: 20,
      attempts: 20,
    });
  });
});

describe("over tRPC", () => {
  it("companies.quizzes.submit answers the Attempt", async () => {
    const { quiz, member } = await quizScene(t);
    const attempt = await trpcClient(t, member.token).companies.quizzes.submit.mutate({
      company_id: quiz.company_id,
      quiz_id: quiz.id,
      answers: submission(quiz),
    });
    expect(attempt).toMatchObject({ score: 3, total_questions: 3, percentage: 100 });
  });
});
