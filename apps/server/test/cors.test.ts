import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, listen, type TestApp } from "./helpers.js";

describe("CORS with a list of origins", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: "https://app.example,https://admin.example" });
  });
  afterAll(() => t.close());

  it("echoes a listed origin with credentials and Vary: Origin", async () => {
    const response = await t.request("/", { headers: { origin: "https://admin.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://admin.example");
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("sends no allow-origin to an unlisted origin", async () => {
    const response = await t.request("/", { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("puts the headers on error answers too", async () => {
    for (const path of ["/no/such/path", "/users/me"]) {
      const response = await t.request(path, { headers: { origin: "https://app.example" } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    }
  });

  it("answers a preflight from a listed origin with the methods and the requested headers", async () => {
    const response = await t.request("/companies/", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, PUT, DELETE, OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).toBe("authorization, content-type");
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("answers a preflight from an unlisted origin without allow-origin", async () => {
    const response = await t.request("/companies/", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-methods")).toBeNull();
  });
});

describe("CORS with *", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: "*" });
  });
  afterAll(() => t.close());

  it("allows any origin without credentials", async () => {
    const response = await t.request("/", { headers: { origin: "https://anything.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

// On a real socket the request id and CORS headers go on Node's outgoing message, not on the Response.
describe.each([
  ["a list of origins", "https://app.example,https://admin.example", "https://app.example"],
  ["any origin", "*", "*"],
])("answer headers over a real socket, with %s", (_, origins, allowOrigin) => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: origins });
    server = await listen(t);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });
  const listed = origins !== "*";

  it.each([
    ["a REST answer", "/"],
    ["an error", "/no/such/path"],
    ["a tRPC answer", "/trpc/health.check"],
  ])("puts them on %s", async (_, path) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      headers: { origin: "https://app.example", "x-request-id": "trace-42" },
    });
    expect(response.headers.get("x-request-id")).toBe("trace-42");
    expect(response.headers.get("access-control-allow-origin")).toBe(allowOrigin);
    expect(response.headers.get("access-control-allow-credentials")).toBe(listed ? "true" : null);
    expect(response.headers.get("access-control-expose-headers")).toBe("X-Request-Id, Retry-After, WWW-Authenticate");
    if (listed) expect(response.headers.get("vary")).toContain("Origin");
    else expect(response.headers.get("vary") ?? "").not.toContain("Origin");
    await response.arrayBuffer();
  });

  it("generates a request id when none is sent", async () => {
    const response = await fetch(`${server.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ status_code: 200, detail: "ok", result: "working" });
  });
});
