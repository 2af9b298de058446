import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type Client,
  type components,
  createClient,
  hasAnswerKey,
  type Quiz,
  type QuizForManager,
  type QuizForMember,
  type RouterOutputs,
} from "../src/index.js";
import { type LiveServer, signUpBody, startLiveServer } from "./live-server.js";

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(() => server.close());

async function signedUp(): Promise<{ client: Client; id: string }> {
  const body = signUpBody();
  const anonymous = createClient({ url: server.url });
  const user = await anonymous.users.create.mutate(body);
  const tokens = await anonymous.auth.login.mutate({ email: body.email, password: body.password });
  return { id: user.id, client: createClient({ url: server.url, token: tokens.access_token }) };
}

const questions = [0, 1].map((order) => ({
  title: `Question ${order}`,
  order,
  answers: [
    { text: "Right", is_correct: true, order: 0 },
    { text: "Wrong", is_correct: false, order: 1 },
  ],
}));

type MemberAnswer = QuizForMember["questions"][number]["answers"][number];
type ManagerAnswer = QuizForManager["questions"][number]["answers"][number];

describe("the answer key in the SDK's types", () => {
  it("a member's quiz type has no is_correct; a manager's has it; reading a quiz answers either", () => {
    expectTypeOf<MemberAnswer>().not.toHaveProperty("is_correct");
    expectTypeOf<ManagerAnswer>().toHaveProperty("is_correct").toEqualTypeOf<boolean>();
    expectTypeOf<RouterOutputs["companies"]["quizzes"]["byId"]>().toEqualTypeOf<Quiz>();
    expectTypeOf<RouterOutputs["companies"]["quizzes"]["list"]["quizzes"][number]>().toEqualTypeOf<Quiz>();
    expectTypeOf<RouterOutputs["companies"]["quizzes"]["update"]>().toEqualTypeOf<QuizForManager>();
    expectTypeOf<components["schemas"]["AnswerForMember"]>().not.toHaveProperty("is_correct");
    expectTypeOf<components["schemas"]["AnswerForManager"]["is_correct"]>().toEqualTypeOf<boolean>();
  });
});

describe("companies.quizzes through the SDK", () => {
  it("the owner creates a quiz; a member reads it without the key, the owner with it", async () => {
    const owner = await signedUp();
    const member = await signedUp();
    const { id: company_id } = await owner.client.companies.create.mutate({ name: "Quiz Co" });
    const request = await member.client.companies.requests.create.mutate({ company_id });
    await owner.client.companies.requests.accept.mutate({ company_id, request_id: request.id });
    const created = await owner.client.companies.quizzes.create.mutate({ company_id, title: "SDK quiz", questions });
    expect(created.questions[0]?.answers[0]?.is_correct).toBe(true);

    const seen = await member.client.companies.quizzes.byId.query({ company_id, quiz_id: created.id });
    expect(hasAnswerKey(seen)).toBe(false);
    expect(JSON.stringify(seen)).not.toContain("is_correct");
    const managed = await owner.client.companies.quizzes.byId.query({ company_id, quiz_id: created.id });
    expect(hasAnswerKey(managed) && managed.questions[0]?.answers[0]?.is_correct).toBe(true);

    // The member answers from the key-less view: the first answer of each question is the right one here.
    const answers = seen.questions.map((question) => ({
      question_id: question.id,
      answer_ids: [question.answers[0]?.id ?? ""],
    }));
    const attempt = await member.client.companies.quizzes.submit.mutate({ company_id, quiz_id: seen.id, answers });
    expect(attempt).toMatchObject({ score: 2, total_questions: 2, percentage: 100 });
    const stats = await member.client.users.meQuizStats.query();
    expect(stats).toMatchObject({ companies_participated: 1, stats: { total_attempts: 1, average_score: 100 } });
    const inCompany = await member.client.companies.myStats.query({ company_id });
    expect(inCompany.stats.last_attempt_at).toBe(attempt.completed_at);
  });
});
