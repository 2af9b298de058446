/**
 * `pnpm bench`: the built server and the floor on one freshly seeded PostgreSQL database and one Redis, measured
 * scenario by scenario with autocannon in a separate process, alternating real and floor. Prints a table and the
 * targets' verdicts; writes bench-results/latest.json.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { SignJWT } from "jose";
import { createBenchDatabase, loadFixtures, seed } from "./database.js";
import { formatMicro, type MicroResult, runMicro } from "./micro.js";
import { type BenchOptions, parseOptions, UsageError } from "./options.js";
import { checkParity } from "./parity.js";
import { cpuMs, freePort, type Served, sampleResident, startProcess } from "./processes.js";
import { loadQuizFixtures, seedQuizzes } from "./quiz-fixtures.js";
import { formatTable, formatVerdicts, type Run, rowOf, type ScenarioReport, verdicts } from "./report.js";
import { buildScenarios, type LoadJob, type LoadResult, type RequestSpec } from "./scenarios.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const serverMain = join(root, "apps/server/dist/main.js");
const floorMain = fileURLToPath(new URL("./floor.js", import.meta.url));
const loadMain = fileURLToPath(new URL("./load.js", import.meta.url));
const resultsDir = join(root, "bench-results");
const WARM_UP_SECONDS = 1;

const log = (message: string) => process.stdout.write(`${message}\n`);

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message.trim());
      return 2;
    }
    throw error;
  }
  for (const file of [serverMain, floorMain, loadMain]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm build\` first (pnpm bench does)`);
  }
  const startedAt = new Date();
  log(`bench ${startedAt.toISOString()} · node ${process.version} · ${cpus().length} cores`);
  log(
    `${options.users} users, ${options.companies} companies · ${options.durationSeconds} s runs (login ${options.loginDurationSeconds} s) × ${options.rounds} rounds · ${options.connections} connections · bcrypt cost ${options.bcryptRounds}`,
  );

  // No HTTP, no database: the procedure machinery alone, before the servers take the cores.
  let micro: MicroResult[] = [];
  if (options.only.length === 0 || options.only.includes("micro")) {
    micro = await runMicro();
    log(`procedure machinery per call (callTRPCProcedure, best of 7 runs of 20,000 calls):\n${formatMicro(micro)}\n`);
    if (options.only.length > 0 && options.only.every((name) => name === "micro")) return 0;
  }

  const workDir = mkdtempSync(join(tmpdir(), "internship-bench-"));
  const database = await createBenchDatabase(options.databaseUrl);
  const servers: Served[] = [];
  try {
    let started = performance.now();
    await seed(database.url, { users: options.users, companies: options.companies }, options.bcryptRounds);
    await seedQuizzes(database.url);
    log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const fixtures = await loadFixtures(database.url);
    const quizFixtures = await loadQuizFixtures(database.url);

    const secrets = {
      JWT_SECRET_KEY: randomBytes(32).toString("hex"),
      JWT_REFRESH_SECRET_KEY: randomBytes(32).toString("hex"),
    };
    const accessKey = new TextEncoder().encode(secrets.JWT_SECRET_KEY);
    const tokens = await Promise.all(
      fixtures.users.map((user) =>
        new SignJWT({ type: "access" })
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .setSubject(user.id)
          .setIssuedAt()
          .setExpirationTime("2h")
          .sign(accessKey),
      ),
    );
    const env = {
      ...secrets,
      DATABASE_URL: database.url,
      REDIS_URL: options.redisUrl,
      BCRYPT_ROUNDS: String(options.bcryptRounds),
      // The production level, for the server and the floor alike: both write the access line.
      LOG_LEVEL: "info",
    };

    const profileDir = join(resultsDir, "profiles");
    if (options.profile) mkdirSync(profileDir, { recursive: true });
    const real = await startProcess(
      "server",
      [...(options.profile ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []), serverMain],
      {
        port: await freePort(),
        cwd: workDir,
        env: {
          ...env,
          HOST: "127.0.0.1",
          // As the Dockerfile runs it.
          NODE_ENV: "production",
          ENVIRONMENT: "production",
          DEBUG: "false",
          SECRET_KEY: randomBytes(32).toString("hex"),
        },
      },
    );
    servers.push(real);
    log(`server answered GET / ${real.firstAnswerMs} ms after start (PostgreSQL, migrations already applied)`);
    const floor = await startProcess("floor", [floorMain], { port: await freePort(), cwd: workDir, env });
    servers.push(floor);

    const scenarios = buildScenarios({
      companyIds: fixtures.companyIds,
      users: fixtures.users,
      tokens,
      durationSeconds: options.durationSeconds,
      loginDurationSeconds: options.loginDurationSeconds,
      quizzes: quizFixtures.quizzes,
      memberTokens: quizFixtures.memberIds.map(
        (id) => tokens[fixtures.users.findIndex((user) => user.id === id)] ?? "",
      ),
      deep: fixtures.deep,
    }).filter((scenario) => options.only.length === 0 || options.only.includes(scenario.name));
    const problems = await checkParity(real.baseUrl, floor.baseUrl, scenarios);
    if (problems.length > 0) {
      console.error(`the floor does not answer like the server:\n${problems.join("\n")}`);
      return 1;
    }
    log("parity: the floor answers every scenario with the server's status, body bytes, CORS headers and request id\n");

    const reports: ScenarioReport[] = [];
    started = performance.now();
    for (const scenario of scenarios) {
      const report: ScenarioReport = {
        name: scenario.name,
        title: scenario.title,
        minRatio: scenario.minRatio,
        real: [],
        floor: [],
      };
      for (let round = 0; round < options.rounds; round++) {
        for (const [target, runs, pool] of [
          [real, report.real, scenario.real],
          [floor, report.floor, scenario.floor],
        ] as const) {
          const connections = scenario.connections ?? options.connections;
          if (round === 0) await runLoad(workDir, target, pool, connections, WARM_UP_SECONDS);
          runs.push(await runLoad(workDir, target, pool, connections, scenario.durationSeconds));
        }
      }
      reports.push(report);
      const row = rowOf(report);
      log(
        `${scenario.name.padEnd(10)} real ${row.real.requestsPerSecond.toFixed(0).padStart(6)} req/s · floor ${row.floor.requestsPerSecond.toFixed(0).padStart(6)} req/s · ${row.ratio.toFixed(2)}×`,
      );
    }
    log(`measured in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

    const rows = reports.map(rowOf);
    const peakRssMb = Math.max(...reports.flatMap((report) => report.real.map((run) => run.rssMb ?? 0)));
    const checked = verdicts(rows, real.firstAnswerMs, Number.isFinite(peakRssMb) ? peakRssMb : undefined);
    log(formatTable(rows));
    log("");
    log(formatVerdicts(checked));

    mkdirSync(resultsDir, { recursive: true });
    const output = join(resultsDir, "latest.json");
    writeFileSync(
      output,
      `${JSON.stringify(
        {
          date: startedAt.toISOString(),
          node: process.version,
          cores: cpus().length,
          options: { ...options, databaseUrl: undefined, redisUrl: undefined },
          firstAnswerMs: real.firstAnswerMs,
          peakRssMb,
          micro,
          scenarios: rows.map((row, index) => ({ ...row, rounds: reports[index] })),
          verdicts: checked,
        },
        null,
        2,
      )}\n`,
    );
    log(`\nwritten to ${output}`);
    return 0;
  } finally {
    for (const server of servers.reverse()) {
      const code = await server.stop();
      if (code !== 0) log(`${server.name} exited with ${code}`);
    }
    await database.drop();
    await forgetRunKeys(options.redisUrl);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs one autocannon job in its own process while sampling the target's RSS. */
async function runLoad(
  workDir: string,
  target: Served,
  pool: RequestSpec[],
  connections: number,
  durationSeconds: number,
): Promise<Run> {
  const job: LoadJob = { baseUrl: target.baseUrl, connections, durationSeconds, pool };
  const jobFile = join(workDir, "job.json");
  writeFileSync(jobFile, JSON.stringify(job));
  const stopSampling = sampleResident(target.child.pid);
  const cpuBefore = cpuMs(target.child.pid);
  const child = spawn(process.execPath, [loadMain, jobFile], { stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const rssMb = stopSampling();
  const cpuAfter = cpuMs(target.child.pid);
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  if (target.child.exitCode !== null) throw new Error(`${target.name} exited with ${target.child.exitCode} under load`);
  const result = JSON.parse(stdout) as LoadResult;
  const cpuUsPerRequest =
    cpuBefore === undefined || cpuAfter === undefined || result.total === 0
      ? undefined
      : Math.round(((cpuAfter - cpuBefore) * 1000) / result.total);
  return { ...result, rssMb, cpuUsPerRequest };
}

/**
 * The refresh families and throttle counters the run's logins left, in the bench's own Redis database. Database 0 is
 * left alone: other processes (tests, `pnpm dev`) keep their keys there.
 */
async function forgetRunKeys(url: string): Promise<void> {
  const database = Number(new URL(url).pathname.slice(1) || 0);
  if (database === 0) return;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    for (const pattern of ["refresh:*", "login:fail:*"]) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
    }
  } catch {
    // Nothing to clean when Redis is gone; the keys expire by themselves.
  } finally {
    redis.disconnect();
  }
}

process.exitCode = await main();
