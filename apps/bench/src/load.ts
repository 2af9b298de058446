/**
 * The load generator, in a process of its own (so its event loop never shares one with the runner's bookkeeping):
 * reads a LoadJob from the JSON file named on the command line, runs autocannon, prints a LoadResult as JSON.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import type { LoadJob, LoadResult } from "./scenarios.js";

const job = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as LoadJob;
const pick = () => job.pool[Math.floor(Math.random() * job.pool.length)] ?? job.pool[0];

const result = await autocannon({
  url: job.baseUrl,
  connections: job.connections,
  duration: job.durationSeconds,
  pipelining: 1,
  timeout: 30,
  requests: [
    {
      setupRequest: (request) => {
        const spec = pick();
        if (!spec) return request;
        return {
          ...request,
          method: spec.method,
          path: spec.path,
          headers: spec.headers ?? {},
          ...(spec.body !== undefined && { body: spec.body }),
        };
      },
    },
  ],
});

const seconds = result.duration || job.durationSeconds;
const output: LoadResult = {
  requestsPerSecond: Math.round((result.requests.total / seconds) * 10) / 10,
  p50: result.latency.p50,
  p99: result.latency.p99,
  total: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes: Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count]),
  ),
};
process.stdout.write(`${JSON.stringify(output)}\n`);
