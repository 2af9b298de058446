import { deleteUserRow, notificationsAbout, quizSnapshot } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectJson, expectNoContent, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, type TestApp, trpcClient } from "./helpers.js";
import { answerKeys, createQuiz, type Quiz, question, quizBody, quizScene, quizzesPath } from "./quiz-fixtures.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const quizPath = (companyId: string, quizId: string) => `${quizzesPath(companyId)}/${quizId}`;
const get = (path: string, token?: string) => t.request(path, token === undefined ? {} : { token });

describe("POST /companies/{company_id}/quizzes", () => {
  it("the owner creates a quiz: 201 with questions and answers by order, the answer key and frequency 0", async () => {
    const { company, quiz } = await quizScene(t, {}, quizBody(2, { title: "  Trimmed  " }));
    expect(quiz).toMatchObject({
      company_id: company.id,
      title: "Trimmed",
      description: "A few questions",
      frequency: 0,
      created_at: expect.stringMatching(ISO_UTC),
    });
    expect(quiz.questions.map((q) => [q.order, q.title, q.quiz_id])).toEqual([
      [0, "Question 0", quiz.id],
      [1, "Question 1", quiz.id],
    ]);
    expect(quiz.questions[0]?.answers).toEqual([
      expect.objectContaining({ text: "Right 0", is_correct: true, order: 0, question_id: quiz.questions[0]?.id }),
      expect.objectContaining({ text: "Wrong 0", is_correct: false, order: 1 }),
    ]);
  });

  it("sorts questions and answers by order whatever the body's order; several answers may be correct", async () => {
    const { company, owner } = await quizScene(t);
    const answers = [
      { text: "c", is_correct: true, order: 7 },
      { text: "a", is_correct: true, order: 2 },
      { text: "b", is_correct: true, order: 5 },
    ];
    const quiz = await createQuiz(t, company.id, owner.token, {
      title: "Ordered",
      questions: [question(9, answers), question(3)],
    });
    expect(quiz.description).toBeNull();
    expect(quiz.questions.map((q) => q.order)).toEqual([3, 9]);
    expect(quiz.questions[1]?.answers.map((answer) => answer.text)).toEqual(["a", "b", "c"]);
  });

  it("an admin creates too; every member row but the creator's gets a quiz_created notification", async () => {
    const { company, admin, member, owner } = await quizScene(t);
    const quiz = await createQuiz(t, company.id, admin.token, quizBody(2, { title: "By the admin" }));
    const notified = await notificationsAbout(t.deps.db, quiz.id);
    expect(notified.map((row) => row.user_id)).toEqual([member.user.id]);
    expect(notified[0]).toMatchObject({
      notification_type: "quiz_created",
      is_read: false,
      message: `New quiz 'By the admin' has been created in ${company.name}. Take it now!`,
    });
    const byOwner = await createQuiz(t, company.id, owner.token);
    expect((await notificationsAbout(t.deps.db, byOwner.id)).map((row) => row.user_id).sort()).toEqual(
      [admin.user.id, member.user.id].sort(),
    );
  });

  it("a member or outsider is 403, an unknown company 404, no token 401; nothing is created", async () => {
    const { company, member, outsider } = await quizScene(t, { is_visible: false });
    for (const caller of [member, outsider]) {
      const response = await t.request(quizzesPath(company.id), {
        method: "POST",
        token: caller.token,
        json: quizBody(),
      });
      await expectError(response, 403, "Only company owner or admin can perform this action");
    }
    const unknown = await t.request(quizzesPath(UNKNOWN_ID), { method: "POST", token: member.token, json: quizBody() });
    await expectError(unknown, 404, "Company not found");
    expect((await t.request(quizzesPath(company.id), { method: "POST", json: quizBody() })).status).toBe(401);
    const list = await expectJson<{ total: number }>(await get(quizzesPath(company.id), member.token), 200);
    expect(list.total).toBe(1);
  });
});

describe("reading quizzes: the answer key reaches managers only", () => {
  it("the owner and an admin see is_correct; a member, an outsider and anonymous callers do not", async () => {
    const { company, quiz, owner, admin, member, outsider } = await quizScene(t);
    const path = quizPath(company.id, quiz.id);
    for (const token of [owner.token, admin.token]) {
      const body = await expectJson<Quiz>(await get(path, token), 200);
      expect(body).toEqual(quiz);
    }
    for (const token of [member.token, outsider.token, undefined, "garbage"]) {
      const body = await expectJson<Quiz>(await get(path, token), 200);
      expect(answerKeys(body)).not.toContain("is_correct");
      expect(body.questions[0]?.answers[0]).toEqual({
        id: quiz.questions[0]?.answers[0]?.id,
        question_id: quiz.questions[0]?.id,
        text: "Right 0",
        order: 0,
        created_at: expect.stringMatching(ISO_UTC),
        updated_at: expect.stringMatching(ISO_UTC),
      });
      const list = await expectJson<{ quizzes: Quiz[] }>(await get(quizzesPath(company.id), token), 200);
      expect(answerKeys(list.quizzes[0] as Quiz)).not.toContain("is_correct");
    }
  });

  it("over tRPC a member's quiz has no is_correct either, a manager's has it", async () => {
    const { company, quiz, member, owner } = await quizScene(t);
    const input = { company_id: company.id, quiz_id: quiz.id };
    expect(answerKeys(await trpcClient(t, member.token).companies.quizzes.byId.query(input))).not.toContain(
      "is_correct",
    );
    const list = await trpcClient(t, member.token).companies.quizzes.list.query({ company_id: company.id });
    expect(answerKeys(list.quizzes[0] as Quiz)).not.toContain("is_correct");
    expect(answerKeys(await trpcClient(t, owner.token).companies.quizzes.byId.query(input))).toContain("is_correct");
  });

  it("lists newest first with totals and pages by skip, limit and cursor", async () => {
    const { company, owner, quiz: first } = await quizScene(t);
    const second = await createQuiz(t, company.id, owner.token, quizBody(2, { title: "Second" }));
    const third = await createQuiz(t, company.id, owner.token, quizBody(2, { title: "Third" }));
    const all = await expectJson<{ quizzes: Quiz[]; total: number }>(await get(quizzesPath(company.id)), 200);
    expect({ ids: all.quizzes.map((q) => q.id), total: all.total }).toEqual({
      ids: [third.id, second.id, first.id],
      total: 3,
    });
    expect(all.quizzes[2]?.questions).toHaveLength(3);
    const page = await expectJson<{ quizzes: Quiz[]; next_cursor: string }>(
      await get(`${quizzesPath(company.id)}?limit=2`),
      200,
    );
    const rest = await expectJson<{ quizzes: Quiz[]; next_cursor: null }>(
      await get(`${quizzesPath(company.id)}?limit=2&cursor=${page.next_cursor}`),
      200,
    );
    expect(rest.quizzes.map((q) => q.id)).toEqual([first.id]);
    expect(rest.next_cursor).toBeNull();
  });

  it("a hidden company's quizzes are 404 to outsiders and anonymous callers, readable by members", async () => {
    const { company, quiz, member, outsider } = await quizScene(t, { is_visible: false });
    for (const token of [outsider.token, undefined]) {
      await expectError(await get(quizzesPath(company.id), token), 404, "Company not found");
      await expectError(await get(quizPath(company.id, quiz.id), token), 404, "Company not found");
    }
    expect((await get(quizPath(company.id, quiz.id), member.token)).status).toBe(200);
  });

  it("an unknown, malformed or another company's quiz id is 404 'Quiz not found'", async () => {
    const { company, quiz } = await quizScene(t);
    const other = await quizScene(t);
    for (const id of [UNKNOWN_ID, "nope", other.quiz.id]) {
      await expectError(await get(quizPath(company.id, id)), 404, "Quiz not found");
    }
    await expectError(await get(quizPath(UNKNOWN_ID, quiz.id)), 404, "Company not found");
  });
});

describe("PUT and DELETE /companies/{company_id}/quizzes/{quiz_id}", () => {
  const put = (companyId: string, quizId: string, token: string, json: unknown) =>
    t.request(quizPath(companyId, quizId), { method: "PUT", token, json });

  it("questions replace every question and answer (new ids); title and description change; null clears it", async () => {
    const { company, quiz, admin } = await quizScene(t);
    const body = { title: "Renamed", description: null, questions: [question(5), question(6), question(7)] };
    const updated = await expectJson<Quiz>(await put(company.id, quiz.id, admin.token, body), 200);
    expect(updated).toMatchObject({ id: quiz.id, title: "Renamed", description: null });
    expect(updated.questions.map((q) => q.order)).toEqual([5, 6, 7]);
    const oldIds = new Set(quiz.questions.map((q) => q.id));
    expect(updated.questions.some((q) => oldIds.has(q.id))).toBe(false);
    const rows = await quizSnapshot(t.deps.db, quiz.id);
    expect({ questions: rows.questions.length, answers: rows.answers.length }).toEqual({ questions: 3, answers: 6 });
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(quiz.updated_at));
  });

  it("a title-only update keeps the questions; an empty body is a no-op with updated_at unchanged", async () => {
    const { company, quiz, owner } = await quizScene(t);
    const same = await expectJson<Quiz>(await put(company.id, quiz.id, owner.token, {}), 200);
    expect(same).toEqual(quiz);
    const nulls = await expectJson<Quiz>(
      await put(company.id, quiz.id, owner.token, { title: null, questions: null }),
      200,
    );
    expect(nulls).toEqual(quiz);
    const renamed = await expectJson<Quiz>(await put(company.id, quiz.id, owner.token, { title: "Only title" }), 200);
    expect({ ...renamed, updated_at: quiz.updated_at }).toEqual({ ...quiz, title: "Only title" });
  });

  it("a member is 403, another company's quiz 404; nothing changes", async () => {
    const { company, quiz, member, owner } = await quizScene(t);
    const other = await quizScene(t);
    const before = await quizSnapshot(t.deps.db, quiz.id);
    await expectError(
      await put(company.id, quiz.id, member.token, { title: "x" }),
      403,
      "Only company owner or admin can perform this action",
    );
    await expectError(await put(company.id, other.quiz.id, owner.token, { title: "x" }), 404, "Quiz not found");
    const deleted = await t.request(quizPath(company.id, quiz.id), { method: "DELETE", token: member.token });
    await expectError(deleted, 403, "Only company owner or admin can perform this action");
    expect(await quizSnapshot(t.deps.db, quiz.id)).toEqual(before);
  });

  it("an admin deletes a quiz (204): its questions and answers go; then it is 404", async () => {
    const { company, quiz, admin } = await quizScene(t);
    await expectNoContent(await t.request(quizPath(company.id, quiz.id), { method: "DELETE", token: admin.token }));
    expect(await quizSnapshot(t.deps.db, quiz.id)).toEqual({
      quiz: undefined,
      questions: [],
      answers: [],
      attempts: [],
    });
    await expectError(
      await t.request(quizPath(company.id, quiz.id), { method: "DELETE", token: admin.token }),
      404,
      "Quiz not found",
    );
  });
});

describe("cascades", () => {
  it("deleting the company takes its quizzes, questions, answers and attempts; the notifications stay", async () => {
    const { company, quiz, member, owner } = await quizScene(t);
    const attempt = await t.request(`${quizPath(company.id, quiz.id)}/attempts`, {
      method: "POST",
      token: member.token,
      json: { answers: quiz.questions.map((q) => ({ question_id: q.id, answer_ids: [q.answers[0]?.id] })) },
    });
    expect(attempt.status).toBe(201);
    await expectNoContent(await t.request(`/companies/${company.id}`, { method: "DELETE", token: owner.token }));
    expect(await quizSnapshot(t.deps.db, quiz.id)).toEqual({
      quiz: undefined,
      questions: [],
      answers: [],
      attempts: [],
    });
    expect(await notificationsAbout(t.deps.db, quiz.id)).toHaveLength(2);
  });

  it("deleting a user takes their attempts; the quiz and its frequency stay", async () => {
    const { company, quiz, member } = await quizScene(t);
    const answers = quiz.questions.map((q) => ({ question_id: q.id, answer_ids: [q.answers[0]?.id] }));
    const path = `${quizPath(company.id, quiz.id)}/attempts`;
    expect((await t.request(path, { method: "POST", token: member.token, json: { answers } })).status).toBe(201);
    await deleteUserRow(t.deps.db, member.user.id);
    const rows = await quizSnapshot(t.deps.db, quiz.id);
    expect({ attempts: rows.attempts, frequency: rows.quiz?.frequency }).toEqual({ attempts: [], frequency: 1 });
  });
});
