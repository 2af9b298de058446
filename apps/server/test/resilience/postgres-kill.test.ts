import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../server-process.js";
import { type Answer, call, newUser } from "./support.js";

/*
 * The server's PostgreSQL sessions are terminated (pg_terminate_backend, what a failover or an operator does) while
 * requests run. What we promise (docs/errors.md): the requests caught in flight answer 503, the process lives on,
 * the pool reconnects by itself, and a write is committed once or not at all.
 */
const ADMIN_APPLICATION = "resilience-test";

describe.runIf(process.env.DATABASE_URL)("PostgreSQL connections killed under load", () => {
  let server: ServerProcess;
  let admin: postgres.Sql;
  let databaseName: string;

  beforeAll(async () => {
    // The in-process store: a shared Redis is not what this test is about.
    server = await startServerProcess({ REDIS_URL: "" });
    if (!server.databaseUrl) throw new Error("the server runs on PGlite");
    databaseName = new URL(server.databaseUrl).pathname.slice(1);
    // Two connections: one holds the lock below while the other terminates sessions.
    admin = postgres(server.databaseUrl, {
      max: 2,
      onnotice: () => {},
      connection: { application_name: ADMIN_APPLICATION },
    });
  });
  afterAll(async () => {
    await admin?.end({ timeout: 5 });
    await server?.stop();
  });

  const terminateServerSessions = async (): Promise<number> => {
    const rows = await admin`
      select pg_terminate_backend(pid) as terminated from pg_stat_activity
      where datname = ${databaseName} and application_name <> ${ADMIN_APPLICATION} and backend_type = 'client backend'`;
    return rows.filter((row) => row.terminated).length;
  };
  const companiesNamed = async (names: string[]): Promise<Map<string, number>> => {
    const rows = await admin<{ name: string; copies: number }[]>`
      select name, count(*)::int as copies from companies where name = any(${names}) group by name`;
    return new Map(rows.map((row) => [row.name, row.copies]));
  };
  const createCompany = (token: string, name: string) =>
    call(server.baseUrl, "/companies/", { method: "POST", token, json: { name } });

  it("answers 503 to the writes caught waiting when their sessions are killed, and commits none of them", async () => {
    const { access } = await newUser(server.baseUrl);
    // An exclusive lock holds the inserts inside PostgreSQL, so they are certainly in flight when the kill comes.
    const names = Array.from({ length: 5 }, (_, index) => `in-flight-${index}-${randomBytes(4).toString("hex")}`);
    const answers = await admin.begin(async (lock) => {
      await lock`lock table companies in exclusive mode`;
      const pending = names.map((name) => createCompany(access, name));
      for (let attempt = 0; ; attempt++) {
        // Statistics views are a snapshot per transaction: clear it to see the inserts arrive.
        await lock`select pg_stat_clear_snapshot()`;
        const [row] = await lock<{ waiting: number }[]>`
          select count(*)::int as waiting from pg_stat_activity
          where datname = ${databaseName} and wait_event_type = 'Lock' and application_name <> ${ADMIN_APPLICATION}`;
        if ((row?.waiting ?? 0) >= names.length) break;
        if (attempt > 200) throw new Error("the inserts never waited on the lock");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await terminateServerSessions()).toBeGreaterThanOrEqual(names.length);
      return Promise.all(pending);
    });
    expect(answers.map((answer) => answer.status)).toEqual(names.map(() => 503));
    expect(JSON.parse(answers[0]?.body ?? "{}")).toEqual({
      detail: "Service temporarily unavailable",
      code: "SERVICE_UNAVAILABLE",
    });
    expect(await companiesNamed(names)).toEqual(new Map());
    expect(server.child.exitCode).toBeNull();
  });

  it("keeps answering 2xx or 503 while sessions are killed every 100 ms, then 2xx again with no restart", async () => {
    const { access } = await newUser(server.baseUrl);
    const writes: { name: string; status: number }[] = [];
    const others: Answer[] = [];
    const failures: string[] = [];
    let killing = true;
    let kills = 0;
    const killer = (async () => {
      while (killing) {
        kills += await terminateServerSessions();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const worker = async (id: number) => {
      for (let round = 0; killing && round < 400; round++) {
        const name = `load-${id}-${round}-${randomBytes(3).toString("hex")}`;
        try {
          writes.push({ name, status: (await createCompany(access, name)).status });
          others.push(await call(server.baseUrl, "/companies/?limit=5"));
          others.push(await call(server.baseUrl, "/auth/me", { token: access }));
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, id) => worker(id));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    killing = false;
    await killer;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    expect(kills).toBeGreaterThan(0);
    const statuses = [...writes.map((write) => write.status), ...others.map((answer) => answer.status)];
    expect(statuses.filter((status) => status !== 503 && (status < 200 || status >= 300))).toEqual([]);
    // A 201 was committed exactly once; a 503 may have been committed (the answer was lost) but never twice.
    const copies = await companiesNamed(writes.map((write) => write.name));
    for (const write of writes) {
      const stored = copies.get(write.name) ?? 0;
      if (write.status === 201) expect(stored, write.name).toBe(1);
      else expect(stored, write.name).toBeLessThanOrEqual(1);
    }

    // The pool reconnects by itself: the next requests all succeed, from the same process.
    const pid = server.child.pid;
    const after: number[] = [];
    for (let index = 0; index < 10; index++) {
      after.push((await createCompany(access, `after-${randomBytes(4).toString("hex")}`)).status);
      after.push((await call(server.baseUrl, "/auth/me", { token: access })).status);
    }
    expect(after).toEqual(after.map((_, index) => (index % 2 === 0 ? 201 : 200)));
    expect(server.child.pid).toBe(pid);
    expect(server.child.exitCode).toBeNull();
  });
});
