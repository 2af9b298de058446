import { SEED_PASSWORD } from "./database.js";
import type { QuizFixture } from "./quiz-fixtures.js";

/** One HTTP request the load generator may send. */
export type RequestSpec = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };

/** What the load process is given: it picks a random request of `pool` for every request it sends. */
export type LoadJob = { baseUrl: string; connections: number; durationSeconds: number; pool: RequestSpec[] };

/** What the load process answers (latencies in milliseconds). */
export type LoadResult = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
};

/**
 * A measured scenario: the requests sent to the real server, and the equivalent sent to the floor (the floor has no
 * tRPC, so a tRPC scenario is compared with the floor's REST endpoint doing the same work).
 */
export type Scenario = {
  name: string;
  title: string;
  real: RequestSpec[];
  floor: RequestSpec[];
  /** The ratio to the floor's throughput this scenario must reach. */
  minRatio: number;
  /** Seconds per run. */
  durationSeconds: number;
  /** Concurrent connections; login uses as many as bcrypt has threads, so its p99 is not a queue's length. */
  connections?: number;
};

export type ScenarioInputs = {
  companyIds: string[];
  users: { id: string; email: string }[];
  /** An access token per user, in the order of `users`. */
  tokens: string[];
  durationSeconds: number;
  loginDurationSeconds: number;
  /** Seeded quizzes, and the tokens of users who are members of every quiz's company. */
  quizzes: QuizFixture[];
  memberTokens: string[];
  deep: { cursor: string; depth: number };
};

/** As many attempts as members, spread over the quizzes so no single quiz row takes every `frequency` increment. */
const attemptRequests = (inputs: ScenarioInputs): RequestSpec[] =>
  inputs.memberTokens.flatMap((token, index) => {
    const quiz = inputs.quizzes[index % inputs.quizzes.length];
    if (!quiz) return [];
    return [
      {
        method: "POST",
        path: `/companies/${quiz.companyId}/quizzes/${quiz.quizId}/attempts`,
        headers: { ...bearer(token), "content-type": "application/json" },
        body: JSON.stringify({ answers: quiz.answers }),
      },
    ];
  });

const get = (path: string, headers?: Record<string, string>): RequestSpec => ({
  method: "GET",
  path,
  ...(headers && { headers }),
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const trpcQuery = (procedure: string, input?: unknown) =>
  `/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

/** The scenarios of the issue, in the order they run and print. */
export function buildScenarios(inputs: ScenarioInputs): Scenario[] {
  const same = (name: string, title: string, requests: RequestSpec[], minRatio = 0.85): Scenario => ({
    name,
    title,
    real: requests,
    floor: requests,
    minRatio,
    durationSeconds: inputs.durationSeconds,
  });
  const meRest = inputs.tokens.map((token) => get("/auth/me", bearer(token)));
  const logins = inputs.users.map(
    (user): RequestSpec => ({
      method: "POST",
      path: "/auth/login",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email, password: SEED_PASSWORD }),
    }),
  );
  return [
    same("health", "GET /", [get("/")]),
    same(
      "company",
      "GET /companies/{id}",
      inputs.companyIds.map((id) => get(`/companies/${id}`)),
    ),
    same("list", "GET /companies/?limit=100", [get("/companies/?limit=100")]),
    same("list-skip", "GET /companies/?limit=100&skip=8000", [get("/companies/?limit=100&skip=8000")]),
    same("list-deep", `GET /companies/?limit=100&cursor=… (${inputs.deep.depth.toLocaleString("en")} deep)`, [
      get(`/companies/?limit=100&cursor=${inputs.deep.cursor}`),
    ]),
    same("me", "GET /auth/me", meRest),
    {
      ...same("login", "POST /auth/login (bcrypt)", logins, 0.9),
      durationSeconds: inputs.loginDurationSeconds,
      // libuv's pool runs 4 bcrypt comparisons at once: more connections only lengthen the queue, on both servers.
      connections: 4,
    },
    {
      ...same("trpc-health", "tRPC health.check", [get("/")]),
      real: [get(trpcQuery("health.check"))],
    },
    {
      ...same("trpc-list", "tRPC companies.list {limit:100}", [get("/companies/?limit=100")]),
      real: [get(trpcQuery("companies.list", { limit: 100 }))],
    },
    {
      ...same("trpc-me", "tRPC auth.me", meRest),
      real: inputs.tokens.map((token) => get(trpcQuery("auth.me"), bearer(token))),
    },
    same(
      "quiz",
      "GET a 20-question quiz (member view)",
      inputs.quizzes.map((quiz) => get(`/companies/${quiz.companyId}/quizzes/${quiz.quizId}`)),
    ),
    same("attempt", "POST a 20-question attempt", attemptRequests(inputs)),
  ];
}
