import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers.js";

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
