import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

export type Served = {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 on GET /. */
  firstAnswerMs: number;
  stop(): Promise<number | null>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts `node <args>` listening on `port` and waits for its first 200 on GET /, timing it from the spawn. Its log
 * goes nowhere (writing it still costs the server what it costs in production); stderr is kept for error messages.
 */
export async function startProcess(
  name: string,
  args: string[],
  options: { port: number; env: Record<string, string>; cwd: string },
): Promise<Served> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env, PORT: String(options.port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  let firstAnswerMs: number | undefined;
  while (firstAnswerMs === undefined) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before answering:\n${stderr}`);
    if (performance.now() - started > 60_000) {
      child.kill("SIGKILL");
      throw new Error(`${name} did not answer GET / within 60 s:\n${stderr}`);
    }
    const status = await fetch(`${baseUrl}/`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) firstAnswerMs = performance.now() - started;
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return {
    name,
    baseUrl,
    child,
    firstAnswerMs: Math.round(firstAnswerMs),
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Resident set size of a process in MB (Linux), or undefined where /proc is missing. */
export function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kilobytes = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kilobytes) ? Math.round(kilobytes / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far (user + system, all threads) in milliseconds (Linux), or undefined. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * (1000 / CLOCK_TICKS_PER_SECOND) : undefined;
  } catch {
    return undefined;
  }
}
// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/** Samples a process's RSS every 100 ms until stopped; answers the peak. */
export function sampleResident(pid: number | undefined): () => number | undefined {
  let peak: number | undefined;
  const sample = () => {
    const current = residentMb(pid);
    if (current !== undefined) peak = Math.max(peak ?? 0, current);
  };
  sample();
  const timer = setInterval(sample, 100);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}
