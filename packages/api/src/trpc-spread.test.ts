import { callTRPCProcedure, initTRPC } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";

/*
 * @trpc/server is patched (patches/@trpc__server@11.25.2.patch): its object-spread helper, which every middleware
 * runs on its options, copies with Object.assign. These hold what the original helper guaranteed.
 */
const t = initTRPC.context<{ a: number; b?: string }>().create();

const call = (router: ReturnType<typeof t.router>, path: string, input: unknown) =>
  callTRPCProcedure({
    router,
    path,
    type: "query",
    ctx: { a: 1 },
    getRawInput: async () => input,
    signal: undefined,
    batchIndex: 0,
  });

describe("tRPC's patched spread", () => {
  it("merges a middleware's context into the caller's and passes the input through", async () => {
    const router = t.router({
      echo: t.procedure
        .use(({ next }) => next({ ctx: { b: "two" } }))
        .input(z.object({ x: z.number() }))
        .query(({ ctx, input }) => ({ ctx, input })),
    });
    expect(await call(router, "echo", { x: 3 })).toEqual({ ctx: { a: 1, b: "two" }, input: { x: 3 } });
  });

  it("merges two inputs and keeps an own __proto__ key a plain property", async () => {
    const router = t.router({
      merged: t.procedure
        // Function parsers hand the parsed JSON on as it is, own "__proto__" key included (Zod would drop it).
        .input((value: unknown) => value as { x: number })
        .input((value: unknown) => value as { y: number })
        .query(({ input }) => input),
    });
    const input = JSON.parse('{"x": 1, "y": 2, "__proto__": {"polluted": true}}');
    const merged = (await call(router, "merged", input)) as Record<string, unknown>;
    expect(merged.x).toBe(1);
    expect(merged.y).toBe(2);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect((merged as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
