import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** True when a `redis-server` binary is on the PATH (the Redis tests start one of their own). */
export const hasRedisServer = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

export type PrivateRedis = {
  url: string;
  /** Kills the server (SIGKILL: a crash, nothing flushed) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
};

/** A redis-server of the test's own on a free port: no persistence, nothing shared with other tests. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = started;
    await new Promise<void>((resolve, reject) => {
      let output = "";
      started.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          started.stdout?.resume();
          resolve();
        }
      });
      started.once("exit", (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    });
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await gone;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}/0`, kill, start };
}

/** Resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
export function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kilobytes = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Number.isFinite(kilobytes) ? kilobytes / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export type Answer = { status: number; body: string; headers: Headers; ms: number };

// A request that hangs this long is a failure in its own right (a driver that never answers), not a slow test.
const REQUEST_DEADLINE_MS = 20_000;

/** One HTTP request; never throws for a status, only for a connection that fails or an answer that never comes. */
export async function call(
  baseUrl: string,
  path: string,
  init: { method?: string; json?: unknown; token?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers,
    signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
    ...(init.body !== undefined && { body: init.body }),
  });
  const body = await response.text();
  return { status: response.status, body, headers: response.headers, ms: performance.now() - started };
}

export const PASSWORD = "a long enough password";

/** Signs a new user up over REST and logs them in; answers the user's email, id and token pair. */
export async function newUser(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<{ email: string; id: string; access: string; refresh: string }> {
  const suffix = randomBytes(5).toString("hex");
  const email = `resilience-${suffix}@example.com`;
  const created = await call(baseUrl, "/users/", {
    method: "POST",
    json: { email, username: `resilience_${suffix}`, password: PASSWORD },
  });
  if (created.status !== 201) throw new Error(`sign-up answered ${created.status}: ${created.body}`);
  const login = await call(baseUrl, "/auth/login", { method: "POST", json: { email, password: PASSWORD }, headers });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.body}`);
  const pair = JSON.parse(login.body) as { access_token: string; refresh_token: string };
  return {
    email,
    id: (JSON.parse(created.body) as { id: string }).id,
    access: pair.access_token,
    refresh: pair.refresh_token,
  };
}
