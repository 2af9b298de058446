import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createUserWithToken, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signUp = (body: BodyInit, contentType?: string) =>
  t.request("/users/", { method: "POST", body, headers: contentType ? { "content-type": contentType } : {} });

/** An error body has exactly the contract's keys, and nothing that looks like internals. */
async function expectErrorBody(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual("issues" in body ? ["code", "detail", "issues"] : ["code", "detail"]);
  expect(body.code).toBe(code);
  expect(typeof body.detail).toBe("string");
  expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts|select |insert |postgres|pglite|constraint/i);
  return body;
}

describe("unknown routes and methods", () => {
  it("answers 404 {detail: 'Not Found'} for an unknown path", async () => {
    const body = await expectErrorBody(await t.request("/no/such/thing"), 404, "NOT_FOUND");
    expect(body.detail).toBe("Not Found");
  });

  it("answers 405 with Allow for an undeclared method on a known path", async () => {
    const response = await t.request("/", { method: "DELETE" });
    expect(response.headers.get("allow")).toBe("GET");
    await expectErrorBody(response, 405, "METHOD_NOT_SUPPORTED");
  });
});

describe("request bodies", () => {
  it("answers 400 for malformed JSON", async () => {
    await expectErrorBody(await signUp('{"email": "a@b.co",', "application/json"), 400, "PARSE_ERROR");
  });

  it("answers 400 for JSON nested deeper than 64 levels", async () => {
    const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
    await expectErrorBody(await signUp(`{"email": ${deep}}`, "application/json"), 400, "PARSE_ERROR");
  });

  it("answers 415 for another Content-Type", async () => {
    await expectErrorBody(
      await signUp("email=a@b.co", "application/x-www-form-urlencoded"),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    await expectErrorBody(await signUp("{}", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("accepts +json types and a missing Content-Type as JSON", async () => {
    const body = JSON.stringify({ email: "plus@example.com", username: "plusjson", password: "long enough 1" });
    expect((await signUp(body, "application/vnd.api+json")).status).toBe(201);
    // A string body would get text/plain from Request itself; bytes go out with no Content-Type at all.
    const other = new TextEncoder().encode(
      JSON.stringify({ email: "none@example.com", username: "nocontenttype", password: "long enough 1" }),
    );
    expect((await signUp(other)).status).toBe(201);
  });

  it("answers 413 for a body over 1 MiB", async () => {
    const huge = JSON.stringify({ email: "a@b.co", username: "x".repeat(1024 * 1024), password: "p" });
    await expectErrorBody(await signUp(huge, "application/json"), 413, "PAYLOAD_TOO_LARGE");
  });

  it.each([["[]"], ['"text"'], ["42"], ["null"]])("answers 422 for the non-object body %s", async (raw) => {
    const body = await expectErrorBody(await signUp(raw, "application/json"), 422, "BAD_REQUEST");
    expect(body.detail).toBe("Validation error");
  });

  it("lists every offending field of a validation error", async () => {
    const response = await signUp(JSON.stringify({ email: "not-an-email", username: 5 }), "application/json");
    const body = await expectErrorBody(response, 422, "BAD_REQUEST");
    const fields = (body.issues as { path: string[] }[]).map((issue) => issue.path[0]);
    expect(fields).toEqual(expect.arrayContaining(["email", "username", "password"]));
  });

  it("answers 422 for a string holding U+0000", async () => {
    const body = JSON.stringify({ email: "nul@example.com", username: "nul\u0000name", password: "long enough 1" });
    await expectErrorBody(await signUp(body, "application/json"), 422, "BAD_REQUEST");
  });
});

describe("path ids", () => {
  it("answers 404, not 422, for a path id that is not a UUID", async () => {
    const { token } = await createUserWithToken(t);
    const body = await expectErrorBody(await t.request("/users/not-a-uuid", { token }), 404, "NOT_FOUND");
    expect(body.detail).toBe("User not found");
  });
});

describe("pagination", () => {
  it.each([["skip=-1"], ["limit=0"], ["limit=101"], ["limit=1.5"], ["limit=abc"], ["limit=2e1"], ["skip=2147483648"]])(
    "answers 422 for %s",
    async (query) => {
      await expectErrorBody(await t.request(`/companies/?${query}`), 422, "BAD_REQUEST");
    },
  );

  it("answers 422 for a parameter given twice (it reads as a list)", async () => {
    await expectErrorBody(await t.request("/companies/?limit=1&limit=2"), 422, "BAD_REQUEST");
  });

  it("ignores unknown parameters, __proto__ and constructor included", async () => {
    const response = await t.request("/companies/?limit=1&__proto__=x&constructor=y&foo=z");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ companies: expect.any(Array), total: expect.any(Number) });
  });
});

describe("request ids", () => {
  it("puts a request id on every answer and keeps a sane incoming one", async () => {
    const generated = await t.request("/");
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.request("/no/such", { headers: { "x-request-id": "trace-123" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-123");
    const replaced = await t.request("/", { headers: { "x-request-id": "bad id with spaces" } });
    expect(replaced.headers.get("x-request-id")).not.toBe("bad id with spaces");
  });
});

describe("a dependency that is gone", () => {
  it("answers with a generic body, never internals", async () => {
    const broken = await createTestApp();
    const { token } = await createUserWithToken(broken);
    await broken.close();
    const response = await broken.request("/users/me", { token });
    expect([500, 503]).toContain(response.status);
    const body = await expectErrorBody(
      response,
      response.status,
      response.status === 503 ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR",
    );
    expect(["Service temporarily unavailable", "Internal Server Error"]).toContain(body.detail);
  });
});
