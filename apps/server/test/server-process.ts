import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { withDatabase } from "@internship/api/testing";
import postgres from "postgres";

const require = createRequire(import.meta.url);
const tsxLoader = pathToFileURL(require.resolve("tsx")).href;
const mainSource = fileURLToPath(new URL("../src/main.ts", import.meta.url));

export type ServerProcess = {
  child: ChildProcess;
  baseUrl: string;
  /** The PostgreSQL database the server uses, or undefined on embedded PGlite. */
  databaseUrl: string | undefined;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
};

/**
 * Starts the real server (src/main.ts) as a child process in a temporary working directory, on a fresh database:
 * an empty PostgreSQL database when DATABASE_URL is set (the server migrates it), else embedded PGlite in the
 * temporary directory. A DATABASE_URL in `env` is used as given instead (several servers on one database), and is
 * not dropped. Resolves once it logs that it listens.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const workDir = mkdtempSync(join(tmpdir(), "internship-server-"));
  const adminUrl = env.DATABASE_URL === undefined ? process.env.DATABASE_URL : undefined;
  const databaseName = `internship_proc_${randomBytes(5).toString("hex")}`;
  const admin = adminUrl ? postgres(adminUrl, { max: 1, onnotice: () => {} }) : undefined;
  if (admin) await admin.unsafe(`create database "${databaseName}"`);
  const databaseUrl = env.DATABASE_URL ?? (adminUrl && withDatabase(adminUrl, databaseName));

  const child = spawn(process.execPath, ["--conditions=source", "--import", tsxLoader, mainSource], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      DEBUG: "false",
      LOG_LEVEL: "info",
      ENVIRONMENT: "test",
      BCRYPT_ROUNDS: "4",
      ...(databaseUrl && { DATABASE_URL: databaseUrl }),
      ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split("\n")) {
        if (!line.startsWith("{")) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === "listening" && entry.port) {
          // From here on the log is only drained: a server under load writes a line per request.
          child.stdout?.off("data", onData);
          child.stdout?.resume();
          resolve(entry.port);
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });

  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    databaseUrl: databaseUrl || undefined,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
      if (admin) {
        await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
        await admin.end();
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
