/**
 * `node apps/bench/dist/startup.js [runs]`: how long the built server takes from spawn to its first 200 on GET / on
 * the embedded defaults (no DATABASE_URL: PGlite in DATA_DIR, the in-process store, development logging), on a fresh
 * data folder and then on the one the first start left. Prints the best and the worst of `runs` starts of each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startProcess } from "./processes.js";

const serverMain = fileURLToPath(new URL("../../server/dist/main.js", import.meta.url));

async function firstAnswerMs(cwd: string): Promise<number> {
  const served = await startProcess("server", [serverMain], { port: await freePort(), cwd, env: {} });
  const code = await served.stop();
  if (code !== 0) throw new Error(`the server exited with ${code}`);
  return served.firstAnswerMs;
}

const runs = Number(process.argv[2] ?? 3);
const fresh: number[] = [];
const existing: number[] = [];
for (let run = 0; run < runs; run++) {
  const cwd = mkdtempSync(join(tmpdir(), "internship-startup-"));
  try {
    fresh.push(await firstAnswerMs(cwd));
    existing.push(await firstAnswerMs(cwd));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
const range = (values: number[]) => `${Math.min(...values)} ms (worst ${Math.max(...values)} ms)`;
process.stdout.write(`first answer on GET /, embedded defaults, ${runs} runs each:\n`);
process.stdout.write(`  fresh data folder:    ${range(fresh)}\n  existing data folder: ${range(existing)}\n`);
