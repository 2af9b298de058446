import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../../../apps/server/test/server-process.js";
import { onboarding } from "../examples/onboarding.js";

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.stop());

describe("examples/onboarding.ts against the real server process", () => {
  it("signs up, logs in, creates a company, invites, accepts and lists the member", async () => {
    const { members, total } = await onboarding(server.baseUrl);
    expect(total).toBe(1);
    expect(members[0]?.username).toMatch(/^bob_/);
  });
});
