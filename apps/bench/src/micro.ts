/**
 * The procedure machinery's cost per call, without HTTP: our real procedure builders (their one middleware, Zod input
 * and output) around a trivial resolver, called as the REST bridge and /trpc call them (`callTRPCProcedure`). The
 * authed chain verifies a real token; its user lookup answers from memory (a stub database), so what is measured is
 * the chain, not PostgreSQL. "machinery" is the authed call less `authenticate` alone.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { authedProcedure, authenticate, type Context, loadConfig, publicProcedure, router } from "@internship/api";
import { callTRPCProcedure, initTRPC } from "@trpc/server";
import { SignJWT } from "jose";
import { z } from "zod";

export type MicroResult = { name: string; title: string; usPerCall: number };

const input = z.object({ company_id: z.uuid() });
const output = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  is_visible: z.boolean(),
  owner_id: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
});
const company = (id: string) => ({
  id,
  name: "Company 1",
  description: null,
  is_visible: true,
  owner_id: id,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
});

const bare = initTRPC.create();
const microRouter = router({
  plain: publicProcedure.query(() => "ok"),
  publicIO: publicProcedure
    .input(input)
    .output(output)
    .query(({ input }) => company(input.company_id)),
  authedIO: authedProcedure
    .input(input)
    .output(output)
    .query(({ input }) => company(input.company_id)),
});
const bareRouter = bare.router({ plain: bare.procedure.query(() => "ok") });

/** Answers every prepared query's `execute` with `row`: drizzle's builder chain, ending in memory. */
function stubDatabase(row: unknown): Context["db"] {
  const chain: unknown = new Proxy(() => {}, {
    get: (_, key) => (key === "execute" ? async () => [row] : chain),
    apply: () => chain,
  });
  return chain as Context["db"];
}

async function timed(calls: number, call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < calls; index++) await call();
  return ((performance.now() - started) * 1000) / calls;
}

/**
 * Each call's best of `rounds` runs (noise only slows a run down), the runs interleaved so a busy moment of the
 * machine hits every call alike; after a warm-up.
 */
async function measureAll(calls: (() => Promise<unknown>)[], count = 20_000, rounds = 7): Promise<number[]> {
  for (const call of calls) await timed(count, call);
  const best = calls.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    for (const [index, call] of calls.entries()) best[index] = Math.min(best[index] ?? 0, await timed(count, call));
  }
  return best.map((us) => Math.round(us * 10) / 10);
}

export async function runMicro(): Promise<MicroResult[]> {
  const secret = randomBytes(32).toString("hex");
  const config = loadConfig({
    JWT_SECRET_KEY: secret,
    JWT_REFRESH_SECRET_KEY: `${secret}-refresh`,
    LOG_LEVEL: "silent",
  });
  const userId = randomUUID();
  const now = new Date();
  const user = { id: userId, email: "a@example.com", username: "a", is_active: true, is_superuser: false };
  const db = stubDatabase({ ...user, created_at: now, updated_at: now });
  const token = await new SignJWT({ type: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(new TextEncoder().encode(secret));
  const ctx = {
    config,
    db,
    store: undefined,
    logger: undefined,
    requestId: "micro",
    clientAddress: "127.0.0.1",
    authorization: `Bearer ${token}`,
  } as unknown as Context;
  const rawInput = { company_id: userId };
  const call = (path: string, routerOf: typeof microRouter | typeof bareRouter = microRouter) =>
    callTRPCProcedure({
      router: routerOf,
      path,
      type: "query",
      ctx,
      getRawInput: async () => rawInput,
      signal: undefined,
      batchIndex: 0,
    });

  const [bareUs = 0, publicUs = 0, publicIoUs = 0, authedUs = 0, authUs = 0] = await measureAll([
    () => call("plain", bareRouter),
    () => call("plain"),
    () => call("publicIO"),
    () => call("authedIO"),
    () => authenticate(ctx, ctx.authorization),
  ]);
  return [
    { name: "bare", title: "bare tRPC query (no middleware, no Zod)", usPerCall: bareUs },
    { name: "public", title: "public query, no input", usPerCall: publicUs },
    { name: "public-io", title: "public query, input + output", usPerCall: publicIoUs },
    { name: "authed-io", title: "authed query, input + output (incl. JWT)", usPerCall: authedUs },
    { name: "authenticate", title: "authenticate() alone (JWT + stub lookup)", usPerCall: authUs },
    {
      name: "machinery",
      title: "authed machinery (authed-io less authenticate)",
      usPerCall: Math.round((authedUs - authUs) * 10) / 10,
    },
  ];
}

export function formatMicro(results: MicroResult[]): string {
  const width = Math.max(...results.map((result) => result.title.length));
  return results
    .map((result) => `${result.title.padEnd(width)}  ${result.usPerCall.toFixed(1).padStart(6)} µs/call`)
    .join("\n");
}
