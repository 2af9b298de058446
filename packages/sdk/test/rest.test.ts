import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { type components, createRestClient } from "../src/index.js";
import { type LiveServer, signUpBody, startLiveServer } from "./live-server.js";

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(() => server.close());

describe("createRestClient", () => {
  it("signs up, logs in, creates, reads and deletes at the original paths", async () => {
    const rest = createRestClient({ url: server.url });
    const body = signUpBody();
    const created = await rest.POST("/users/", { body });
    expect(created.response.status).toBe(201);
    expect(created.data?.email).toBe(body.email);

    const login = await rest.POST("/auth/login", { body: { email: body.email, password: body.password } });
    const accessToken = login.data?.access_token;
    const authed = createRestClient({ url: server.url, token: () => accessToken });
    const me = await authed.GET("/users/me");
    expect(me.data?.id).toBe(created.data?.id);

    const company = await authed.POST("/companies/", { body: { name: "Rest Ltd" } });
    expect(company.response.status).toBe(201);
    const company_id = company.data?.id ?? expect.fail("no company in the answer");
    const members = await rest.GET("/companies/{company_id}/members", { params: { path: { company_id } } });
    expect(members.data).toEqual({ members: [], total: 0, next_cursor: null });

    const deleted = await authed.DELETE("/companies/{company_id}", { params: { path: { company_id } } });
    expect([deleted.response.status, deleted.data, deleted.error]).toEqual([204, undefined, undefined]);
  });

  it("gives errors as the contract's body: detail, code and the issues of a validation error", async () => {
    const rest = createRestClient({ url: server.url });
    const first = signUpBody();
    await rest.POST("/users/", { body: first });

    const taken = await rest.POST("/users/", { body: { ...signUpBody(), email: first.email } });
    expect(taken.response.status).toBe(409);
    expect(taken.error).toEqual({ detail: "Email already registered", code: "CONFLICT" });
    expectTypeOf(taken.error).toEqualTypeOf<components["schemas"]["ErrorBody"] | undefined>();

    const invalid = await rest.POST("/users/", { body: { email: "not an email", username: "ok_name", password: "x" } });
    expect(invalid.response.status).toBe(422);
    expect(invalid.error?.issues?.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["email", "password"]),
    );

    const anonymous = await rest.GET("/users/me");
    expect([anonymous.response.status, anonymous.error?.code]).toEqual([401, "UNAUTHORIZED"]);
  });

  it("is typed from the document the server serves", async () => {
    const served: unknown = await (await fetch(`${server.url}/openapi.json`)).json();
    const committed: unknown = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8"));
    expect(served).toEqual(committed);
  });
});
