import { describe, expect, it } from "vitest";
import { best, formatTable, type Run, rowOf, verdicts } from "../src/report.js";

const run = (requestsPerSecond: number, p99: number, extra: Partial<Run> = {}): Run => ({
  requestsPerSecond,
  p50: p99 / 2,
  p99,
  total: requestsPerSecond * 5,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statusCodes: { 200: requestsPerSecond * 5 },
  rssMb: 100,
  cpuUsPerRequest: 300,
  ...extra,
});

describe("benchmark report", () => {
  it("keeps each server's best round and compares it with the floor's", () => {
    const row = rowOf({
      name: "list",
      title: "GET /companies/",
      minRatio: 0.85,
      real: [run(800, 40), run(900, 30)],
      floor: [run(1000, 20), run(950, 25)],
    });
    expect(row.real.requestsPerSecond).toBe(900);
    expect(row.ratio).toBeCloseTo(0.9);
    expect(row.p99Ratio).toBeCloseTo(1.5);
    expect(best([run(1, 1), run(3, 1), run(2, 1)]).requestsPerSecond).toBe(3);
  });

  it("checks every target: throughput, p99, all 2xx, RSS and the first answer", () => {
    const slow = rowOf({
      name: "me",
      title: "GET /auth/me",
      minRatio: 0.85,
      real: [run(500, 90)],
      floor: [run(1000, 30)],
    });
    const failing = rowOf({
      name: "login",
      title: "POST /auth/login",
      minRatio: 0.9,
      real: [run(10, 900, { non2xx: 2, statusCodes: { 200: 48, 503: 2 } })],
      floor: [run(10, 900)],
    });
    const checked = verdicts([slow, failing], 1200, 250);
    const missed = checked.filter((verdict) => !verdict.ok).map((verdict) => verdict.target);
    expect(missed).toEqual([
      "me: throughput ≥ 0.85× floor",
      "me: p99 < 2× floor",
      "login: every answer 2xx",
      "server RSS < 200 MB under load",
      "first answer < 1000 ms after start (PostgreSQL)",
    ]);
    expect(verdicts([failing], 300, undefined).find((v) => v.target.startsWith("server RSS"))?.detail).toMatch(
      /not measured/,
    );
  });

  it("prints one aligned row per scenario and marks the misses", () => {
    const table = formatTable([
      rowOf({ name: "health", title: "GET /", minRatio: 0.85, real: [run(5000, 10)], floor: [run(20000, 2)] }),
    ]);
    const [header, rule, row] = table.split("\n");
    expect(header).toMatch(/^scenario\s+req\/s/);
    expect(rule?.length).toBe(header?.length);
    expect(row).toMatch(/^GET \/\s+5000 .* 0\.25 ! +5\.00 !$/);
  });
});
