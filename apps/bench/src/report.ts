import type { LoadResult } from "./scenarios.js";

/**
 * One measured run. `cpuUsPerRequest` is the server's own CPU time (all its threads) divided by the requests it
 * answered: unlike requests/s it does not depend on what else the machine is doing.
 */
export type Run = LoadResult & { rssMb: number | undefined; cpuUsPerRequest: number | undefined };

export type ScenarioReport = {
  name: string;
  title: string;
  minRatio: number;
  /** Every round, in the order they ran (real and floor alternating). */
  real: Run[];
  floor: Run[];
};

export type Verdict = { target: string; ok: boolean; detail: string };

export const P99_FACTOR = 2;
export const MAX_RSS_MB = 200;
export const MAX_FIRST_ANSWER_MS = 1000;

/** The better of a server's rounds: the one with the most requests a second (noise only ever slows a run down). */
export function best(runs: Run[]): Run {
  const [first, ...rest] = runs;
  if (!first) throw new Error("no runs");
  return rest.reduce((top, run) => (run.requestsPerSecond > top.requestsPerSecond ? run : top), first);
}

export type Row = {
  name: string;
  title: string;
  real: Run;
  floor: Run;
  ratio: number;
  p99Ratio: number;
  minRatio: number;
};

export function rowOf(report: ScenarioReport): Row {
  const real = best(report.real);
  const floor = best(report.floor);
  return {
    name: report.name,
    title: report.title,
    real,
    floor,
    ratio: floor.requestsPerSecond > 0 ? real.requestsPerSecond / floor.requestsPerSecond : 0,
    // Sub-millisecond p99s are rounded by the histogram; compare from 1 ms up so 0 vs 1 is not "infinitely slower".
    p99Ratio: Math.max(real.p99, 1) / Math.max(floor.p99, 1),
    minRatio: report.minRatio,
  };
}

/** Every target of the issue, checked against what was measured. */
export function verdicts(rows: Row[], firstAnswerMs: number, peakRssMb: number | undefined): Verdict[] {
  const out: Verdict[] = [];
  for (const row of rows) {
    out.push({
      target: `${row.name}: throughput ≥ ${row.minRatio}× floor`,
      ok: row.ratio >= row.minRatio,
      detail: `${row.ratio.toFixed(2)}× (${row.real.requestsPerSecond} vs ${row.floor.requestsPerSecond} req/s)`,
    });
    out.push({
      target: `${row.name}: p99 < ${P99_FACTOR}× floor`,
      ok: row.p99Ratio < P99_FACTOR,
      detail: `${row.p99Ratio.toFixed(2)}× (${row.real.p99} vs ${row.floor.p99} ms)`,
    });
    const failures = row.real.non2xx + row.real.errors + row.real.timeouts;
    out.push({
      target: `${row.name}: every answer 2xx`,
      ok: failures === 0,
      detail: failures === 0 ? "all 2xx" : `${JSON.stringify(row.real.statusCodes)}, ${row.real.errors} errors`,
    });
  }
  out.push({
    target: `server RSS < ${MAX_RSS_MB} MB under load`,
    ok: peakRssMb !== undefined && peakRssMb < MAX_RSS_MB,
    detail: peakRssMb === undefined ? "not measured (no /proc)" : `peak ${peakRssMb} MB`,
  });
  out.push({
    target: `first answer < ${MAX_FIRST_ANSWER_MS} ms after start (PostgreSQL)`,
    ok: firstAnswerMs < MAX_FIRST_ANSWER_MS,
    detail: `${firstAnswerMs} ms`,
  });
  return out;
}

const HEADER = [
  "scenario",
  "req/s",
  "p50 ms",
  "p99 ms",
  "non-2xx",
  "RSS MB",
  "CPU µs/req",
  "floor req/s",
  "floor p99",
  "floor µs/req",
  "ratio",
  "p99 ×",
];

/** The table the run prints: one row per scenario, the real server's best round beside the floor's. */
export function formatTable(rows: Row[]): string {
  const cells = rows.map((row) => [
    row.title,
    row.real.requestsPerSecond.toFixed(0),
    String(row.real.p50),
    String(row.real.p99),
    String(row.real.non2xx + row.real.errors + row.real.timeouts),
    row.real.rssMb === undefined ? "-" : row.real.rssMb.toFixed(0),
    row.real.cpuUsPerRequest === undefined ? "-" : row.real.cpuUsPerRequest.toFixed(0),
    row.floor.requestsPerSecond.toFixed(0),
    String(row.floor.p99),
    row.floor.cpuUsPerRequest === undefined ? "-" : row.floor.cpuUsPerRequest.toFixed(0),
    `${row.ratio.toFixed(2)}${row.ratio >= row.minRatio ? "" : " !"}`,
    `${row.p99Ratio.toFixed(2)}${row.p99Ratio < P99_FACTOR ? "" : " !"}`,
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]?.length ?? 0)));
  const line = (values: string[]) =>
    values
      .map((value, column) => (column === 0 ? value.padEnd(widths[0] ?? 0) : value.padStart(widths[column] ?? 0)))
      .join("  ");
  return [line(HEADER), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}

export function formatVerdicts(list: Verdict[]): string {
  return list.map((verdict) => `${verdict.ok ? "PASS" : "MISS"}  ${verdict.target}: ${verdict.detail}`).join("\n");
}
