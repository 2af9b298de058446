import { tables } from "@internship/api";
import { insertCompany, insertUser } from "@internship/api/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectJson } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

/*
 * Keyset pagination on every list (docs/pagination.md): walking by `cursor` gives the rows `skip`/`limit` give, in the
 * same order, each once, ties on the sort time included; a cursor altered, used with `skip`, or taken from another
 * list or filter is a 422 naming `cursor`.
 */
let t: TestApp;
let token: string;
let companyId: string;
type Page = Record<string, unknown> & { total: number; next_cursor: string | null };
type List = { name: string; path: () => string; key: string; trpc: (cursor?: string) => Promise<Page> };
let lists: List[];

beforeAll(async () => {
  t = await createTestApp();
  const caller = await createUserWithToken(t);
  token = caller.token;
  const company = await insertCompany(t.deps.db, caller.user.id);
  companyId = company.id;
  // One statement, one now(): five rows share their created_at, so only the id breaks the tie.
  await t.deps.db
    .insert(tables.companies)
    .values(Array.from({ length: 5 }, (_, i) => ({ name: `Tied ${i}`, owner_id: caller.user.id })));
  const members = await Promise.all(Array.from({ length: 5 }, () => insertUser(t.deps.db)));
  await t.deps.db
    .insert(tables.companyMembers)
    .values(members.map((member) => ({ company_id: company.id, user_id: member.id })));
  await t.deps.db.insert(tables.companyInvitations).values(
    members.map((member, i) => ({
      company_id: company.id,
      invited_user_id: member.id,
      invited_by_id: caller.user.id,
      status: i % 2 ? ("declined" as const) : ("accepted" as const),
    })),
  );
  const client = trpcClient(t, token);
  lists = [
    {
      name: "companies",
      path: () => "/companies/",
      key: "companies",
      trpc: (cursor) => client.companies.list.query({ limit: 2, cursor }),
    },
    {
      name: "users",
      path: () => "/users/",
      key: "users",
      trpc: (cursor) => client.users.list.query({ limit: 2, cursor }),
    },
    {
      name: "members",
      path: () => `/companies/${companyId}/members`,
      key: "members",
      trpc: (cursor) => client.companies.members.list.query({ company_id: companyId, limit: 2, cursor }),
    },
    {
      name: "a company's invitations",
      path: () => `/companies/${companyId}/invitations?status=all`,
      key: "invitations",
      trpc: (cursor) =>
        client.companies.invitations.listForCompany.query({ company_id: companyId, status: "all", limit: 2, cursor }),
    },
  ];
});
afterAll(() => t.close());

const withQuery = (path: string, query: string) => `${path}${path.includes("?") ? "&" : "?"}${query}`;
const ids = (page: Page, key: string) => (page[key] as { id: string }[]).map((row) => row.id);

async function get(path: string, status = 200): Promise<Page> {
  return expectJson<Page>(await t.request(path, { token }), status);
}

async function walkRest(list: List): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await get(withQuery(list.path(), `limit=2${cursor ? `&cursor=${cursor}` : ""}`));
    seen.push(...ids(page, list.key));
    cursor = page.next_cursor;
  } while (cursor !== null);
  return seen;
}

async function expectCursorRefused(path: string): Promise<void> {
  const body = await get(path, 422);
  expect(body.issues, path).toEqual([expect.objectContaining({ path: ["cursor"] })]);
}

describe.each(["companies", "users", "members", "a company's invitations"])("%s", (name) => {
  const list = () => lists.find((candidate) => candidate.name === name) as List;

  it("walks by cursor through the rows skip/limit give, in order, each once, the last page's cursor null", async () => {
    const all = await get(withQuery(list().path(), "limit=100"));
    expect(all.total).toBeGreaterThanOrEqual(5);
    expect(all.next_cursor).toBeNull();
    const byCursor = await walkRest(list());
    expect(byCursor).toEqual(ids(all, list().key));
    const bySkip: string[] = [];
    for (let skip = 0; skip < all.total; skip += 2) {
      bySkip.push(...ids(await get(withQuery(list().path(), `limit=2&skip=${skip}`)), list().key));
    }
    expect(bySkip).toEqual(byCursor);
  });

  it("walks the same over tRPC, with the same cursors as REST", async () => {
    const seen: string[] = [];
    let page = await list().trpc();
    const rest = await get(withQuery(list().path(), "limit=2"));
    expect(page.next_cursor).toBe(rest.next_cursor);
    seen.push(...ids(page, list().key));
    while (page.next_cursor !== null) {
      page = await list().trpc(page.next_cursor);
      seen.push(...ids(page, list().key));
    }
    expect(seen).toEqual(await walkRest(list()));
  });

  it("refuses an altered cursor, a cursor with skip and a garbage cursor with 422 on cursor, on REST and tRPC", async () => {
    const first = await get(withQuery(list().path(), "limit=2"));
    const cursor = first.next_cursor as string;
    const altered = `${cursor.slice(0, 4)}${cursor[4] === "A" ? "B" : "A"}${cursor.slice(5)}`;
    for (const bad of [altered, `${cursor}x`, "garbage", `${cursor}.${cursor}`]) {
      await expectCursorRefused(withQuery(list().path(), `cursor=${encodeURIComponent(bad)}`));
    }
    await expectCursorRefused(withQuery(list().path(), `skip=1&cursor=${cursor}`));
    const error = await list()
      .trpc(altered)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    // tRPC's own status for a bad input is 400; the REST bridge answers it as 422.
    expect((error as TRPCClientError<never>).data).toMatchObject({
      code: "BAD_REQUEST",
      issues: [expect.objectContaining({ path: ["cursor"] })],
    });
  });
});

describe("a cursor belongs to its list and filter", () => {
  it("refuses another list's cursor, and one taken under another filter", async () => {
    const users = await get("/users/?limit=2");
    await expectCursorRefused(`/companies/?cursor=${users.next_cursor}`);
    const all = await get(`/companies/${companyId}/invitations?status=all&limit=2`);
    await expectCursorRefused(`/companies/${companyId}/invitations?status=accepted&cursor=${all.next_cursor}`);
    const members = await get(`/companies/${companyId}/members?limit=2`);
    const another = (await get("/companies/?limit=100")).companies as { id: string }[];
    const otherCompany = another.find((company) => company.id !== companyId)?.id;
    await expectCursorRefused(`/companies/${otherCompany}/members?cursor=${members.next_cursor}`);
  });
});
