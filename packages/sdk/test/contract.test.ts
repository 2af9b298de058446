import { readFileSync } from "node:fs";
import type { AppRouter as ServerRouter } from "@internship/api";
import type { inferRouterError, inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { describe, expect, expectTypeOf, it } from "vitest";
import { renderArtifacts } from "../scripts/artifacts.js";
import type { AppRouter, RouterInputs, RouterOutputs } from "../src/index.js";

describe("the committed contract", () => {
  it("is what the router generates (run `pnpm --filter @internship/sdk generate` after changing the API)", async () => {
    const artifacts = await renderArtifacts();
    expect(Object.keys(artifacts).sort()).toEqual(["openapi.json", "src/app-router.ts", "src/rest/schema.d.ts"]);
    for (const [path, generated] of Object.entries(artifacts)) {
      const committed = readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
      expect(committed, `packages/sdk/${path} differs from what the router generates`).toBe(generated);
    }
  }, 120_000);

  it("types every procedure and error as the server does", () => {
    // Checked by `tsc --noEmit`: the generated router must mean exactly what the server's AppRouter means.
    expectTypeOf<RouterInputs>().toEqualTypeOf<inferRouterInputs<ServerRouter>>();
    expectTypeOf<RouterOutputs>().toEqualTypeOf<inferRouterOutputs<ServerRouter>>();
    expectTypeOf<inferRouterError<AppRouter>>().toEqualTypeOf<inferRouterError<ServerRouter>>();
  });
});
