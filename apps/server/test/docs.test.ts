import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers.js";

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};

let t: TestApp;
let document: {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};
beforeAll(async () => {
  t = await createTestApp();
  document = await (await t.request("/openapi.json")).json();
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("uses a relative server and declares the bearer scheme", () => {
    expect(document.servers).toEqual([{ url: "/" }]);
    expect(document.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
  });

  it("gives every operation a summary, an operationId, a tag, and the error body on every error status", () => {
    expect(operations().length).toBeGreaterThan(0);
    for (const { path, method, operation } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(operation.summary, where).toBeTruthy();
      expect(operation.operationId, where).toBeTruthy();
      expect(operation.tags?.length, where).toBeGreaterThan(0);
      const statuses = Object.keys(operation.responses).map(Number);
      expect(
        statuses.filter((status) => status < 300),
        where,
      ).toHaveLength(1);
      expect(statuses, where).toContain(500);
      for (const status of statuses.filter((s) => s >= 400)) {
        expect(operation.responses[status]?.content?.["application/json"]?.schema?.$ref, `${where} ${status}`).toBe(
          "#/components/schemas/ErrorBody",
        );
      }
      if (statuses.includes(204)) expect(operation.responses[204]?.content, where).toBeUndefined();
    }
  });

  it("marks token-only operations with the bearer requirement and 401", () => {
    for (const { path, method, operation } of operations()) {
      const needsToken = operation.security?.length === 1 && operation.security[0]?.bearer !== undefined;
      if (needsToken) expect(Object.keys(operation.responses), `${method} ${path}`).toContain("401");
    }
  });

  it("documents the health route as public: an empty security requirement overrides any default", () => {
    const health = document.paths["/"]?.get;
    expect(health?.security).toEqual([]);
    expect(Object.keys(health?.responses ?? {})).toContain("200");
  });
});

describe.each([
  ["/docs", ["/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"]],
  ["/redoc", ["/redoc/assets/redoc.standalone.js"]],
])("GET %s", (page, assets) => {
  it("serves HTML that loads /openapi.json and only local assets", async () => {
    const response = await t.request(page);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("/openapi.json");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of assets) expect(html).toContain(asset);
  });

  it("serves its assets from this server", async () => {
    for (const asset of assets) {
      const response = await t.request(asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(10_000);
    }
  });
});
