import { companySnapshot, insertMember } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, inviteOutsider } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Literal segments win over parameters, and no catch-all swallows a neighbour. (docs/rest-routing.md)
describe("route ordering", () => {
  it("DELETE /companies/{company_id}/members/me leaves, and is not taken for a {user_id}", async () => {
    const { owner, member, company } = await companyScene(t);
    const second = await createUserWithToken(t);
    await insertMember(t.deps.db, company.id, second.user.id);
    // Taken by the remove route, "me" would be a malformed user id and the owner would get 404 "Member not found".
    await expectError(
      await t.request(`/companies/${company.id}/members/me`, { method: "DELETE", token: owner.token }),
      409,
      "Company owner cannot leave the company",
    );
    await expectNoContent(
      await t.request(`/companies/${company.id}/members/me`, { method: "DELETE", token: member.token }),
    );
    // The parameter route still takes real ids.
    await expectNoContent(
      await t.request(`/companies/${company.id}/members/${second.user.id}`, { method: "DELETE", token: owner.token }),
    );
    expect((await companySnapshot(t.deps.db, company.id)).members).toEqual([]);
  });

  it("GET /companies/ is the list, not a company with an empty id", async () => {
    for (const path of ["/companies/", "/companies"]) {
      expect(await expectJson(await t.request(path), 200)).toEqual({
        companies: expect.any(Array),
        total: expect.any(Number),
        next_cursor: null,
      });
    }
  });

  it("GET /companies/invitations/me and /companies/requests/me are the caller's lists, not a company", async () => {
    const { owner, outsider, company } = await companyScene(t);
    await inviteOutsider(t, { owner, outsider, company });
    const invitations = await expectJson(await t.request("/companies/invitations/me", { token: outsider.token }), 200);
    expect(invitations).toMatchObject({ invitations: [{ company_id: company.id }], total: 1 });
    const requests = await expectJson(await t.request("/companies/requests/me", { token: outsider.token }), 200);
    expect(requests).toEqual({ requests: [], total: 0, next_cursor: null });
    // The neighbours still answer for themselves.
    await expectJson(await t.request(`/companies/${company.id}`), 200);
    await expectJson(await t.request(`/companies/${company.id}/invitations`, { token: owner.token }), 200);
    await expectJson(await t.request(`/companies/${company.id}/requests`, { token: owner.token }), 200);
  });

  it("POST /companies/invitations/{invitation_id}/accept|decline are not POST /companies/{company_id}/requests", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const first = await inviteOutsider(t, { owner, outsider, company });
    await expectNoContent(
      await t.request(`/companies/invitations/${first.id}/decline`, { method: "POST", token: outsider.token }),
    );
    const second = await inviteOutsider(t, { owner, outsider, company });
    await expectNoContent(
      await t.request(`/companies/invitations/${second.id}/accept`, { method: "POST", token: outsider.token }),
    );
    const other = await companyScene(t);
    await expectJson(
      await t.request(`/companies/${other.company.id}/requests`, { method: "POST", token: outsider.token }),
      201,
    );
  });
});
