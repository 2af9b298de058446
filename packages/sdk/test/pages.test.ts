import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createClient, createRestClient, pages, type RouterOutputs } from "../src/index.js";
import { type LiveServer, signUpBody, startLiveServer } from "./live-server.js";

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(() => server.close());

/** A signed-in user who owns `count` new visible companies. */
async function ownerOf(count: number) {
  const anonymous = createClient({ url: server.url });
  const body = signUpBody();
  await anonymous.users.create.mutate(body);
  const { access_token } = await anonymous.auth.login.mutate({ email: body.email, password: body.password });
  const client = createClient({ url: server.url, token: access_token });
  for (let i = 0; i < count; i++) await client.companies.create.mutate({ name: `Paged ${i}` });
  return { client, token: access_token };
}

describe("pages", () => {
  it("walks a whole list by cursor over tRPC: every row once, in the list's order, typed as the list's page", async () => {
    const { client } = await ownerOf(5);
    const everything = await client.companies.list.query({ limit: 100 });
    const seen: string[] = [];
    let requests = 0;
    for await (const page of pages((cursor) => {
      requests++;
      return client.companies.list.query({ limit: 2, cursor });
    })) {
      expectTypeOf(page).toEqualTypeOf<RouterOutputs["companies"]["list"]>();
      expect(page.total).toBe(everything.total);
      seen.push(...page.companies.map((company) => company.id));
    }
    expect(seen).toEqual(everything.companies.map((company) => company.id));
    expect(requests).toBe(Math.ceil(everything.total / 2));
  });

  it("walks the REST client's pages the same way, and a break stops the requests", async () => {
    const { token } = await ownerOf(3);
    const rest = createRestClient({ url: server.url, token });
    const all = (await rest.GET("/users/", { params: { query: { limit: 100 } } })).data;
    let requests = 0;
    const firstTwo: string[] = [];
    for await (const page of pages(async (cursor) => {
      requests++;
      const { data, error } = await rest.GET("/users/", { params: { query: { limit: 1, ...(cursor && { cursor }) } } });
      if (error) throw new Error(error.detail);
      return data;
    })) {
      firstTwo.push(...page.users.map((user) => user.id));
      if (firstTwo.length === 2) break;
    }
    expect(requests).toBe(2);
    expect(firstTwo).toEqual(all?.users.slice(0, 2).map((user) => user.id));
  });
});
