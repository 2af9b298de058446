/**
 * `node apps/bench/dist/startup.js [runs]`: how long the built server takes from spawn to its first 200 on GET / on
 * the embedded defaults (no DATABASE_URL: PGlite in DATA_DIR, the in-process store, development logging), on a fresh
 * data folder and then on the one the first start left. Prints the best and the worst of `runs` starts of each, and
 * the server's own CPU time by then (all threads): on a busy machine the wall time mostly measures the neighbours.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuMs, freePort, startProcess } from "./processes.js";

const serverMain = fileURLToPath(new URL("../../server/dist/main.js", import.meta.url));

type Start = { wallMs: number; cpuMs: number };

async function firstAnswer(cwd: string): Promise<Start> {
  const served = await startProcess("server", [serverMain], { port: await freePort(), cwd, env: {} });
  const cpu = cpuMs(served.child.pid) ?? Number.NaN;
  const code = await served.stop();
  if (code !== 0) throw new Error(`the server exited with ${code}`);
  return { wallMs: served.firstAnswerMs, cpuMs: cpu };
}

const runs = Number(process.argv[2] ?? 3);
const fresh: Start[] = [];
const existing: Start[] = [];
for (let run = 0; run < runs; run++) {
  const cwd = mkdtempSync(join(tmpdir(), "internship-startup-"));
  try {
    fresh.push(await firstAnswer(cwd));
    existing.push(await firstAnswer(cwd));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
const range = (starts: Start[]) => {
  const wall = starts.map((start) => start.wallMs);
  const cpu = Math.min(...starts.map((start) => start.cpuMs));
  return `${Math.min(...wall)} ms (worst ${Math.max(...wall)} ms), server CPU ${cpu} ms`;
};
process.stdout.write(`first answer on GET /, embedded defaults, ${runs} runs each:\n`);
process.stdout.write(`  fresh data folder:    ${range(fresh)}\n  existing data folder: ${range(existing)}\n`);
