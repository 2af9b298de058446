import type { CompanyDetail } from "@internship/api";
import { insertCompany } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyListItem, companyScene } from "./company-fixtures.js";
import { expectError, expectJson, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("POST /companies/", () => {
  it("answers 201 with a company owned by the caller, private when asked; owner_id and id in the body are ignored", async () => {
    const { user, token } = await createUserWithToken(t);
    const other = await createUserWithToken(t);
    const response = await t.request("/companies/", {
      method: "POST",
      token,
      json: {
        name: "  Acme  ",
        description: "Makes things",
        is_visible: false,
        owner_id: other.user.id,
        id: UNKNOWN_ID,
      },
    });
    const company = await expectJson<CompanyDetail>(response, 201);
    expect(company).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Acme",
      description: "Makes things",
      is_visible: false,
      owner_id: user.id,
      created_at: expect.stringMatching(ISO_UTC),
      updated_at: company.created_at,
    });
    expect(company.id).not.toBe(UNKNOWN_ID);
  });

  it("answers the same without the trailing slash; description defaults to null", async () => {
    const { token } = await createUserWithToken(t);
    const company = await expectJson<CompanyDetail>(
      await t.request("/companies", { method: "POST", token, json: { name: "No slash" } }),
      201,
    );
    expect(company.description).toBeNull();
    expect(company.is_visible).toBe(true);
  });

  it("stores text verbatim: unicode, quotes and SQL-looking text", async () => {
    const { token } = await createUserWithToken(t);
    const name = `Ünïcødé 🚀 "quoted" 'x'); DROP TABLE companies;--`;
    const company = await expectJson<CompanyDetail>(
      await t.request("/companies/", { method: "POST", token, json: { name, description: "  spaced  " } }),
      201,
    );
    expect({ name: company.name, description: company.description }).toEqual({ name, description: "  spaced  " });
  });

  it.each([
    ["a missing name", {}],
    ["a blank name", { name: "   " }],
    ["a name over 255 characters", { name: "x".repeat(256) }],
    ["a name that is not a string", { name: 42 }],
    ["a NUL character", { name: "a\u0000b" }],
    ["a description over 5000 characters", { name: "x", description: "d".repeat(5001) }],
  ])("answers 422 for %s", async (_case, json) => {
    const { token } = await createUserWithToken(t);
    await expectError(await t.request("/companies/", { method: "POST", token, json }), 422, "Validation error");
  });

  it("accepts the limits: a 255-character name and a 5000-character description", async () => {
    const { token } = await createUserWithToken(t);
    const json = { name: "n".repeat(255), description: "d".repeat(5000) };
    await expectJson(await t.request("/companies/", { method: "POST", token, json }), 201);
  });
});

describe("GET /companies/", () => {
  // A database of its own: totals here count every company in it.
  let lt: TestApp;
  beforeAll(async () => {
    lt = await createTestApp();
  });
  afterAll(() => lt.close());

  it("lists visible companies only, newest first (created_at desc, id desc), with the total", async () => {
    const { user, token } = await createUserWithToken(lt);
    const base = Date.parse("2026-01-01T00:00:00.000Z");
    const oldest = await insertCompany(lt.deps.db, user.id, { name: "oldest", created_at: new Date(base) });
    const tieA = await insertCompany(lt.deps.db, user.id, { name: "tie a", created_at: new Date(base + 1000) });
    const tieB = await insertCompany(lt.deps.db, user.id, { name: "tie b", created_at: new Date(base + 1000) });
    await insertCompany(lt.deps.db, user.id, { name: "hidden", is_visible: false, created_at: new Date(base + 2000) });
    const [first, second] = [tieA, tieB].sort((a, b) => (a.id < b.id ? 1 : -1));

    // The owner's token changes nothing: the list is the public directory.
    for (const auth of [{}, { token }]) {
      const list = await expectJson<{ companies: { id: string }[]; total: number }>(
        await lt.request("/companies/", auth),
        200,
      );
      expect(list).toEqual({
        companies: [first, second, oldest].map((row) => row && companyListItem(row)),
        total: 3,
        next_cursor: null,
      });
    }
  });

  it("pages with skip and limit; the total ignores them; a skip past the end is an empty page", async () => {
    const all = await expectJson<{ companies: { id: string }[]; total: number }>(await lt.request("/companies"), 200);
    const page = await expectJson<{ companies: { id: string }[]; total: number }>(
      await lt.request("/companies?skip=1&limit=1"),
      200,
    );
    expect(page).toEqual({ companies: [all.companies[1]], total: all.total, next_cursor: expect.any(String) });
    expect(await expectJson(await lt.request("/companies?skip=50"), 200)).toEqual({
      companies: [],
      total: all.total,
      next_cursor: null,
    });
  });

  it("ignores a garbage Authorization header", async () => {
    await expectJson(await lt.request("/companies/", { headers: { authorization: "Bearer garbage" } }), 200);
  });

  it.each(["limit=0", "limit=101", "limit=1.5", "limit=abc", "limit=2e1", "skip=-1", "skip=2147483648"])(
    "answers 422 for %s",
    async (query) => {
      await expectError(await lt.request(`/companies/?${query}`), 422, "Validation error");
    },
  );
});

describe("GET /companies/{company_id}", () => {
  it("answers a visible company to anyone, without a token", async () => {
    const { company } = await companyScene(t, { description: "public" });
    const body = await expectJson<CompanyDetail>(await t.request(`/companies/${company.id}`), 200);
    expect(body).toEqual({
      ...companyListItem(company),
      created_at: company.created_at.toISOString(),
      updated_at: company.updated_at.toISOString(),
    });
  });

  it("shows a hidden company to its owner and members only; anyone else gets 404", async () => {
    const { owner, member, outsider, company } = await companyScene(t, { is_visible: false });
    for (const token of [owner.token, member.token]) {
      await expectJson(await t.request(`/companies/${company.id}`, { token }), 200);
    }
    await expectError(await t.request(`/companies/${company.id}`), 404, "Company not found");
    await expectError(await t.request(`/companies/${company.id}`, { token: outsider.token }), 404, "Company not found");
  });

  it("treats a bad or inactive user's token as anonymous: 404 for a hidden company, never 401", async () => {
    const { company } = await companyScene(t, { is_visible: false });
    const inactive = await createUserWithToken(t, { is_active: false });
    for (const authorization of ["Bearer garbage", "Basic abc", `Bearer ${inactive.token}`]) {
      await expectError(
        await t.request(`/companies/${company.id}`, { headers: { authorization } }),
        404,
        "Company not found",
      );
    }
  });

  it("shows a hidden company to its inactive-token owner as to anyone: 404", async () => {
    const owner = await createUserWithToken(t, { is_active: false });
    const company = await insertCompany(t.deps.db, owner.user.id, { is_visible: false });
    await expectError(await t.request(`/companies/${company.id}`, { token: owner.token }), 404, "Company not found");
  });

  it("answers 404 for an unknown id and for a malformed one", async () => {
    await expectError(await t.request(`/companies/${UNKNOWN_ID}`), 404, "Company not found");
    await expectError(await t.request("/companies/not-a-uuid"), 404, "Company not found");
  });
});
