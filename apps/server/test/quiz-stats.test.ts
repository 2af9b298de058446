import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectJson, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";
import { createQuiz, quizBody, quizScene, submission, submit } from "./quiz-fixtures.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ZERO = {
  total_attempts: 0,
  total_questions_answered: 0,
  total_correct_answers: 0,
  average_score: 0,
  last_attempt_at: null,
};

type Stats = typeof ZERO | (Omit<typeof ZERO, "last_attempt_at"> & { last_attempt_at: string });

const myStats = (companyId: string, token?: string) =>
  t.request(`/companies/${companyId}/my-stats`, token === undefined ? {} : { token });
const userStats = (token?: string) => t.request("/users/me/quiz-stats", token === undefined ? {} : { token });

describe("GET /companies/{company_id}/my-stats", () => {
  it("sums the caller's attempts in that company, weighting the average by questions", async () => {
    const { company, quiz, member, owner } = await quizScene(t);
    const small = await createQuiz(t, company.id, owner.token, quizBody(2, { title: "Small" }));
    await expectJson(
      await submit(
        t,
        quiz,
        member.token,
        submission(quiz, (_q, i) => i === 0),
      ),
      201,
    );
    const last = await expectJson<{ completed_at: string }>(await submit(t, small, member.token), 201);
    // Someone else's attempt does not count.
    await expectJson(await submit(t, quiz, owner.token), 201);
    const body = await expectJson<{ stats: Stats }>(await myStats(company.id, member.token), 200);
    expect(body).toEqual({
      company_id: company.id,
      company_name: company.name,
      stats: {
        total_attempts: 2,
        total_questions_answered: 5,
        total_correct_answers: 3,
        average_score: 60,
        last_attempt_at: last.completed_at,
      },
    });
    expect(body.stats.last_attempt_at).toMatch(ISO_UTC);
  });

  it("rounds the average to 2 decimals (1 of 3 is 33.33)", async () => {
    const { company, quiz, member } = await quizScene(t);
    await expectJson(
      await submit(
        t,
        quiz,
        member.token,
        submission(quiz, (_q, i) => i === 2),
      ),
      201,
    );
    const body = await expectJson<{ stats: Stats }>(await myStats(company.id, member.token), 200);
    expect(body.stats.average_score).toBe(33.33);
  });

  it("zeros and null without attempts, whether or not the caller belongs to the company", async () => {
    const { company, member, outsider } = await quizScene(t);
    for (const caller of [member, outsider]) {
      const body = await expectJson<{ stats: Stats }>(await myStats(company.id, caller.token), 200);
      expect(body.stats).toEqual(ZERO);
    }
  });

  it("a member who left keeps their attempts in the stats", async () => {
    const { company, quiz, member } = await quizScene(t);
    await expectJson(await submit(t, quiz, member.token), 201);
    await t.request(`/companies/${company.id}/members/me`, { method: "DELETE", token: member.token });
    const body = await expectJson<{ stats: Stats }>(await myStats(company.id, member.token), 200);
    expect(body.stats).toMatchObject({ total_attempts: 1, average_score: 100 });
  });

  it("an unknown company is 404; a hidden one is 404 to outsiders; no token 401", async () => {
    const { company, member, outsider } = await quizScene(t, { is_visible: false });
    await expectError(await myStats(UNKNOWN_ID, outsider.token), 404, "Company not found");
    await expectError(await myStats(company.id, outsider.token), 404, "Company not found");
    expect((await myStats(company.id, member.token)).status).toBe(200);
    expect((await myStats(company.id)).status).toBe(401);
  });
});

describe("GET /users/me/quiz-stats", () => {
  it("sums every attempt of the caller and counts the companies they were made in", async () => {
    const first = await quizScene(t);
    const second = await quizScene(t);
    const player = first.member;
    await expectJson(await submit(t, first.quiz, player.token), 201);
    await expectJson(
      await submit(
        t,
        first.quiz,
        player.token,
        submission(first.quiz, () => false),
      ),
      201,
    );
    // Owning the second company, the player may take its quiz too.
    const own = await createQuiz(t, second.company.id, second.owner.token, quizBody(2));
    await expectJson(await submit(t, own, second.owner.token), 201);
    const body = await expectJson<{ stats: Stats; companies_participated: number }>(await userStats(player.token), 200);
    expect(body).toEqual({
      stats: {
        total_attempts: 2,
        total_questions_answered: 6,
        total_correct_answers: 3,
        average_score: 50,
        last_attempt_at: expect.stringMatching(ISO_UTC),
      },
      companies_participated: 1,
    });
  });

  it("zeros for a user without attempts; 401 without a token; 403 for an inactive user", async () => {
    const { token } = await createUserWithToken(t);
    expect(await expectJson(await userStats(token), 200)).toEqual({ stats: ZERO, companies_participated: 0 });
    expect((await userStats()).status).toBe(401);
    const inactive = await createUserWithToken(t, { is_active: false });
    await expectError(await userStats(inactive.token), 403, "Inactive user");
  });

  it("works over tRPC as users.meQuizStats and companies.myStats", async () => {
    const { token } = await createUserWithToken(t);
    const viaTrpc = await trpcClient(t, token).users.meQuizStats.query();
    expect(viaTrpc).toEqual({ stats: ZERO, companies_participated: 0 });
    const company = await quizScene(t);
    const mine = await trpcClient(t, company.member.token).companies.myStats.query({ company_id: company.company.id });
    expect(mine.stats).toEqual(ZERO);
  });
});
