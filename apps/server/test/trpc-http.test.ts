import { request as httpRequest } from "node:http";
import { appRouter, type Context } from "@internship/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorHeaders } from "../src/rest-bridge.js";
import { createTestApp, createUserWithToken, listen, type TestApp } from "./helpers.js";

type Case = { method?: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };

const list = (input: unknown) => `/trpc/companies.list?input=${encodeURIComponent(JSON.stringify(input))}`;
const json = { "content-type": "application/json" };

/** Requests whose answers must be tRPC's own, byte for byte: batching, every error path, statuses, headers. */
const cases: [string, Case][] = [
  ["a query", { path: "/trpc/health.check" }],
  ["a query with input", { path: list({ limit: 2 }) }],
  ["a batch", { path: `/trpc/health.check,companies.list?batch=1&input=${encodeURIComponent('{"1":{"limit":1}}')}` }],
  ["a mixed batch (207)", { path: "/trpc/health.check,auth.me?batch=1" }],
  ["a batch whose input is not an object", { path: "/trpc/health.check?batch=1&input=5" }],
  ["an unknown procedure", { path: "/trpc/no.such" }],
  ["a mutation over GET (405)", { path: "/trpc/auth.logout" }],
  ["a query over POST (405)", { method: "POST", path: "/trpc/health.check", headers: json, body: "{}" }],
  ["malformed query input", { path: "/trpc/companies.list?input=%7Bnope" }],
  ["invalid input", { path: list({ limit: 1000 }) }],
  ["a missing token (401)", { path: "/trpc/auth.me" }],
  ["a bad token", { path: "/trpc/auth.me", headers: { authorization: "Bearer nope" } }],
  ["a mutation with invalid input", { method: "POST", path: "/trpc/users.create", headers: json, body: '{"a":1}' }],
  ["a mutation with a malformed body", { method: "POST", path: "/trpc/users.create", headers: json, body: "{" }],
  ["a mutation without a content type", { method: "POST", path: "/trpc/users.create", body: "{}" }],
  ["a batched mutation", { method: "POST", path: "/trpc/users.create?batch=1", headers: json, body: '{"0":{}}' }],
  ["a bad path encoding", { path: "/trpc/%E0%A4%A" }],
  ["a streamed batch", { path: "/trpc/health.check?batch=1", headers: { "trpc-accept": "application/jsonl" } }],
];

const compared = ["content-type", "vary", "allow", "www-authenticate"];

async function snapshot(response: Response) {
  const headers = Object.fromEntries(compared.map((name) => [name, response.headers.get(name)]));
  return { status: response.status, headers, body: await response.text() };
}

describe("tRPC over HTTP", () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let token: string;
  const reference = (c: Case, ctx: Context) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: new Request(`http://test${c.path}`, {
        method: c.method ?? "GET",
        ...(c.headers && { headers: c.headers }),
        ...(c.body !== undefined && { body: c.body }),
      }),
      router: appRouter,
      createContext: () => ctx,
      responseMeta: ({ errors }) => {
        const headers = errors[0] && errorHeaders(errors[0]);
        return headers ? { headers } : {};
      },
    });

  beforeAll(async () => {
    t = await createTestApp();
    server = await listen(t);
    token = (await createUserWithToken(t)).token;
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it.each(cases)("answers %s as tRPC's fetch adapter does, on a socket and in-process", async (_, c) => {
    const init = { method: c.method ?? "GET", headers: c.headers ?? {}, ...(c.body !== undefined && { body: c.body }) };
    const ctx = {
      ...t.deps,
      requestId: "r",
      clientAddress: "127.0.0.1",
      authorization: c.headers?.authorization,
      userAgent: undefined,
      refreshToken: undefined,
    };
    const expected = await snapshot(await reference(c, ctx));
    expect(await snapshot(await fetch(`${server.baseUrl}${c.path}`, init))).toEqual(expected);
    expect(await snapshot(await t.app.request(c.path, init))).toEqual(expected);
  });

  it("answers an authenticated query", async () => {
    const response = await fetch(`${server.baseUrl}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { data: { id: string } } }).result.data.id).toBeTypeOf("string");
  });

  it("answers 413 for a body over 1 MiB, declared or chunked", async () => {
    const huge = JSON.stringify({ email: "a@b.co", username: "x".repeat(1024 * 1024), password: "p" });
    const declared = await fetch(`${server.baseUrl}/trpc/users.create`, { method: "POST", headers: json, body: huge });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(await chunkedPost(`${server.baseUrl}/trpc/users.create`, huge)).toMatchObject({ status: 413 });
    // The connection still serves.
    expect((await fetch(`${server.baseUrl}/trpc/health.check`)).status).toBe(200);
  });
});

/** A POST sent in chunks with no Content-Length, so only counting the stream can catch its size. */
function chunkedPost(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers: { ...json, "transfer-encoding": "chunked" } });
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    // The server may answer and close before the whole body is sent.
    request.on("error", reject);
    for (let index = 0; index < body.length; index += 64 * 1024) request.write(body.slice(index, index + 64 * 1024));
    request.end();
  });
}
