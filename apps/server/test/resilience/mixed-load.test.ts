import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../server-process.js";
import {
  type Answer,
  call,
  hasRedisServer,
  newUser,
  PASSWORD,
  type PrivateRedis,
  residentMb,
  startPrivateRedis,
} from "./support.js";

const LOAD_MS = 60_000;
const WARM_UP_MS = 10_000;
const WORKERS = 6;

/** A small deterministic generator (mulberry32): the same mix of requests on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/*
 * A minute of reads, writes, logins and client mistakes from a few concurrent clients. Nothing a client sends may
 * become a 5xx, and the process must not grow: after a warm-up its resident memory stays within 10 %. Logins come
 * "from" many addresses (TRUST_PROXY) so throttling, tested elsewhere, does not turn the mix into 429s.
 */
describe("a minute of mixed load", () => {
  let redis: PrivateRedis | undefined;
  let server: ServerProcess;

  beforeAll(async () => {
    // With Redis configured, a redis-server of the test's own: a minute of logins leaves thousands of keys behind.
    redis = process.env.REDIS_URL && hasRedisServer ? await startPrivateRedis() : undefined;
    server = await startServerProcess({ TRUST_PROXY: "true", REDIS_URL: redis?.url ?? "" });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.kill();
  });

  it("answers no 5xx and keeps its memory flat after the warm-up", { timeout: LOAD_MS + 90_000 }, async () => {
    const base = server.baseUrl;
    const users = await Promise.all(Array.from({ length: 8 }, () => newUser(base)));
    const companies: string[] = [];
    for (const user of users) {
      const created = await call(base, "/companies/", { method: "POST", token: user.access, json: { name: "Load" } });
      companies.push((JSON.parse(created.body) as { id: string }).id);
    }
    const address = (next: () => number) =>
      `10.${Math.floor(next() * 250)}.${Math.floor(next() * 250)}.${Math.floor(next() * 250)}`;

    type Operation = (next: () => number) => Promise<Answer>;
    const pick = <T>(next: () => number, items: T[]): T => items[Math.floor(next() * items.length)] as T;
    const operations: [weight: number, operation: Operation][] = [
      [20, (next) => call(base, `/companies/?limit=20&skip=${Math.floor(next() * 50)}`)],
      [12, (next) => call(base, `/companies/${pick(next, companies)}`)],
      [10, (next) => call(base, "/auth/me", { token: pick(next, users).access })],
      [6, (next) => call(base, "/users/?limit=10", { token: pick(next, users).access })],
      [
        8,
        async (next) => {
          const user = pick(next, users);
          const created = await call(base, "/companies/", {
            method: "POST",
            token: user.access,
            json: { name: "Tmp" },
          });
          if (created.status !== 201 || next() < 0.5) return created;
          const { id } = JSON.parse(created.body) as { id: string };
          return call(base, `/companies/${id}`, { method: "DELETE", token: user.access });
        },
      ],
      [
        6,
        (next) => {
          const index = Math.floor(next() * users.length);
          return call(base, `/companies/${companies[index]}`, {
            method: "PUT",
            token: users[index]?.access ?? "",
            json: { name: `Load ${Math.floor(next() * 1000)}`, description: next() < 0.5 ? null : "Busy" },
          });
        },
      ],
      [
        4,
        () => {
          const suffix = randomBytes(6).toString("hex");
          return call(base, "/users/", {
            method: "POST",
            json: { email: `load-${suffix}@example.com`, username: `load_${suffix}`, password: PASSWORD },
          });
        },
      ],
      [
        6,
        (next) =>
          call(base, "/auth/login", {
            method: "POST",
            json: { email: pick(next, users).email, password: PASSWORD },
            headers: { "x-forwarded-for": address(next) },
          }),
      ],
      // Client mistakes: a wrong password, malformed JSON, a validation error, a wrong Content-Type, a bad token,
      // an unknown company, an undeclared method.
      [
        4,
        (next) =>
          call(base, "/auth/login", {
            method: "POST",
            json: { email: pick(next, users).email, password: "not the password" },
            headers: { "x-forwarded-for": address(next) },
          }),
      ],
      [
        3,
        (next) =>
          call(base, "/companies/", {
            method: "POST",
            token: pick(next, users).access,
            body: '{"name": ',
            headers: { "content-type": "application/json" },
          }),
      ],
      [3, (next) => call(base, "/companies/", { method: "POST", token: pick(next, users).access, json: { name: "" } })],
      [2, () => call(base, "/users/", { method: "POST", body: "email=a", headers: { "content-type": "text/plain" } })],
      [3, () => call(base, "/auth/me", { token: "not.a.token" })],
      [3, () => call(base, `/companies/${crypto.randomUUID()}`)],
      [2, () => call(base, "/companies/", { method: "PATCH" })],
    ];
    const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);
    const choose = (next: () => number): Operation => {
      let roll = next() * totalWeight;
      for (const [weight, operation] of operations) {
        roll -= weight;
        if (roll < 0) return operation;
      }
      return operations[0]?.[1] as Operation;
    };

    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const failures: string[] = [];
    const samples: { at: number; mb: number }[] = [];
    const started = performance.now();
    const sampler = setInterval(() => {
      const mb = residentMb(server.child.pid);
      if (mb !== undefined) samples.push({ at: performance.now() - started, mb });
    }, 1000);
    const worker = async (id: number) => {
      const next = random(id + 1);
      while (performance.now() - started < LOAD_MS) {
        try {
          const answer = await choose(next)(next);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500) serverErrors.push(`${answer.status} ${answer.body}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, id) => worker(id)));
    clearInterval(sampler);

    const summary = JSON.stringify(Object.fromEntries(statuses));
    expect(failures, summary).toEqual([]);
    expect(serverErrors, summary).toEqual([]);
    expect(
      [...statuses.keys()].some((status) => status >= 400),
      summary,
    ).toBe(true);
    expect(server.child.exitCode).toBeNull();

    if (samples.length === 0) return; // No /proc: nothing to measure memory with.
    // RSS is a sawtooth (the heap grows until a major GC, ~25 s apart here), so peaks are compared, not points: the
    // highest RSS of the last 20 s against the highest of the 30 s before (at least one whole tooth). The first 10 s
    // are warm-up. Measured (peak before, peak after): PostgreSQL 290 then 260–275 MB; PGlite, which lives in the
    // process and fills its buffer pool over the first ~40 s, 559–616 then 543–624 MB.
    const peak = (from: number, to: number) =>
      Math.max(...samples.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.mb));
    const reference = peak(WARM_UP_MS, LOAD_MS - 20_000);
    const final = peak(LOAD_MS - 20_000, Number.POSITIVE_INFINITY);
    const growth = final / reference - 1;
    expect(growth, `peak RSS ${reference.toFixed(0)} MB, then ${final.toFixed(0)} MB; ${summary}`).toBeLessThan(0.1);
  });
});
