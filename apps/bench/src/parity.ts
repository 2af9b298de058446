import { isDeepStrictEqual } from "node:util";
import { decodeJwt } from "jose";
import type { RequestSpec, Scenario } from "./scenarios.js";

/** The headers both must send alike (the request id is checked apart: it echoes the one sent). */
const SAME_HEADERS = ["content-type", "access-control-allow-origin", "access-control-expose-headers", "vary"];
const REQUEST_ID = "parity-check-1";

type Answer = { status: number; headers: Headers; text: string };

async function answer(baseUrl: string, spec: RequestSpec): Promise<Answer> {
  const response = await fetch(`${baseUrl}${spec.path}`, {
    method: spec.method,
    headers: { ...spec.headers, "x-request-id": REQUEST_ID },
    ...(spec.body !== undefined && { body: spec.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A tRPC answer's payload is the REST body under `result.data`: its JSON text, as REST would send it. */
const restText = (spec: RequestSpec, text: string): string =>
  spec.path.startsWith("/trpc/")
    ? JSON.stringify((JSON.parse(text) as { result?: { data?: unknown } }).result?.data)
    : text;

/**
 * What must match when the two answers cannot be equal byte for byte: tokens differ in their ids and times (their
 * claims' names, types and subject must match); a new attempt differs in its id and time (the rest must match).
 * Undefined when the answer must match byte for byte.
 */
function comparable(text: string): unknown {
  const body = JSON.parse(text) as Record<string, unknown> | undefined;
  if (typeof body?.completed_at === "string") return { ...body, id: typeof body.id, completed_at: "string" };
  const pair = body as { access_token?: unknown; refresh_token?: unknown } | undefined;
  if (typeof pair?.access_token !== "string" || typeof pair.refresh_token !== "string") return undefined;
  const shape = (token: string) => {
    const claims = decodeJwt(token);
    return Object.fromEntries(
      Object.entries(claims).map(([key, value]) => [key, key === "sub" || key === "type" ? value : typeof value]),
    );
  };
  return { ...pair, access_token: shape(pair.access_token), refresh_token: shape(pair.refresh_token) };
}

/**
 * Before anything is measured: the first request of every scenario gets the same status, the same body byte for byte
 * (tokens: the same claims), the same CORS and content headers and its X-Request-Id echoed, from the real server and
 * from the floor, so the two do the same observable work. Answers the differences (none is the only good answer).
 */
export async function checkParity(realUrl: string, floorUrl: string, scenarios: Scenario[]): Promise<string[]> {
  const problems: string[] = [];
  for (const scenario of scenarios) {
    const realSpec = scenario.real[0];
    const floorSpec = scenario.floor[0];
    if (!realSpec || !floorSpec) continue;
    const real = await answer(realUrl, realSpec);
    const floor = await answer(floorUrl, floorSpec);
    if (real.status !== floor.status || real.status < 200 || real.status > 201) {
      problems.push(`${scenario.name}: status ${real.status} (real) vs ${floor.status} (floor)`);
      continue;
    }
    const realText = restText(realSpec, real.text);
    const loose = comparable(realText);
    const same = loose ? isDeepStrictEqual(loose, comparable(floor.text)) : realText === floor.text;
    if (!same) {
      problems.push(
        `${scenario.name}: bodies differ\n  real:  ${realText.slice(0, 400)}\n  floor: ${floor.text.slice(0, 400)}`,
      );
    }
    // tRPC's own `Vary: trpc-accept, accept` has no REST counterpart.
    const headers = realSpec.path.startsWith("/trpc/") ? SAME_HEADERS.filter((name) => name !== "vary") : SAME_HEADERS;
    for (const name of headers) {
      if (real.headers.get(name) !== floor.headers.get(name)) {
        problems.push(
          `${scenario.name}: ${name} ${real.headers.get(name)} (real) vs ${floor.headers.get(name)} (floor)`,
        );
      }
    }
    for (const [side, got] of [
      ["real", real],
      ["floor", floor],
    ] as const) {
      const id = got.headers.get("x-request-id");
      if (id !== REQUEST_ID) problems.push(`${scenario.name}: ${side} answered X-Request-Id ${id}`);
    }
  }
  return problems;
}
