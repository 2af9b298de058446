import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("GET /", () => {
  it("answers exactly the health body", async () => {
    const response = await t.request("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.text()).toBe('{"status_code":200,"detail":"ok","result":"working"}');
  });

  it("ignores a garbage Authorization header", async () => {
    const response = await t.request("/", { headers: { authorization: "Bearer garbage" } });
    expect(response.status).toBe(200);
  });
});
