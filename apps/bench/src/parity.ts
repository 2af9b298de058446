import { isDeepStrictEqual } from "node:util";
import { decodeJwt } from "jose";
import type { RequestSpec, Scenario } from "./scenarios.js";

async function answer(baseUrl: string, spec: RequestSpec): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${spec.path}`, {
    method: spec.method,
    ...(spec.headers && { headers: spec.headers }),
    ...(spec.body !== undefined && { body: spec.body }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** A tRPC answer's payload is the REST body under `result.data`. */
const unwrapTrpc = (spec: RequestSpec, body: unknown): unknown =>
  spec.path.startsWith("/trpc/") ? (body as { result?: { data?: unknown } }).result?.data : body;

/** Tokens (and new attempts) differ in their ids and times; what must match is the rest. */
function comparable(body: unknown): unknown {
  const attempt = body as { id?: unknown; completed_at?: unknown } | undefined;
  if (typeof attempt?.completed_at === "string") {
    // A new attempt on each side: its id and time differ, everything else must match.
    return { ...attempt, id: typeof attempt.id, completed_at: "string" };
  }
  const pair = body as { access_token?: unknown; refresh_token?: unknown } | undefined;
  if (typeof pair?.access_token !== "string" || typeof pair.refresh_token !== "string") return body;
  const shape = (token: string) => {
    const claims = decodeJwt(token);
    return Object.fromEntries(
      Object.entries(claims).map(([key, value]) => [key, key === "sub" || key === "type" ? value : typeof value]),
    );
  };
  return { ...pair, access_token: shape(pair.access_token), refresh_token: shape(pair.refresh_token) };
}

/**
 * Before anything is measured: the first request of every scenario gets the same status and the same JSON from the
 * real server and from the floor, so the two do the same work. Answers the differences (none is the only good answer).
 */
export async function checkParity(realUrl: string, floorUrl: string, scenarios: Scenario[]): Promise<string[]> {
  const problems: string[] = [];
  for (const scenario of scenarios) {
    const realSpec = scenario.real[0];
    const floorSpec = scenario.floor[0];
    if (!realSpec || !floorSpec) continue;
    const real = await answer(realUrl, realSpec);
    const floor = await answer(floorUrl, floorSpec);
    const realBody = comparable(unwrapTrpc(realSpec, real.body));
    const floorBody = comparable(floor.body);
    if (real.status !== floor.status || real.status < 200 || real.status > 201) {
      problems.push(`${scenario.name}: status ${real.status} (real) vs ${floor.status} (floor)`);
    } else if (!isDeepStrictEqual(realBody, floorBody)) {
      problems.push(
        `${scenario.name}: bodies differ\n  real:  ${JSON.stringify(realBody).slice(0, 400)}\n  floor: ${JSON.stringify(floorBody).slice(0, 400)}`,
      );
    }
  }
  return problems;
}
