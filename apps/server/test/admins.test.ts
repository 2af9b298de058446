import { companySnapshot, insertCompany, insertMember } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, inviteOutsider, minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type MemberList = { members: { id: string; user_id: string; is_admin: boolean }[]; total: number; next_cursor: null };

const roleChange = (action: "promote" | "demote", companyId: string, userId: string, token?: string) =>
  t.request(`/companies/${companyId}/members/${userId}/${action}`, {
    method: "POST",
    ...(token !== undefined && { token }),
  });

const admins = (companyId: string, token?: string, query = "") =>
  t.request(`/companies/${companyId}/admins${query}`, token === undefined ? {} : { token });

const isAdmin = async (companyId: string, userId: string) =>
  (await companySnapshot(t.deps.db, companyId)).members.find((member) => member.user_id === userId)?.is_admin;

describe("POST /companies/{company_id}/members/{user_id}/promote and /demote", () => {
  it("the owner promotes a member (204, listed among admins) and demotes them again (204, a plain member)", async () => {
    const { owner, member, company } = await companyScene(t);
    await expectNoContent(await roleChange("promote", company.id, member.user.id, owner.token));
    expect(await isAdmin(company.id, member.user.id)).toBe(true);
    const list = await expectJson<MemberList>(await admins(company.id), 200);
    expect(list).toMatchObject({ total: 1, next_cursor: null, members: [{ user_id: member.user.id, is_admin: true }] });

    await expectNoContent(await roleChange("demote", company.id, member.user.id, owner.token));
    expect(await isAdmin(company.id, member.user.id)).toBe(false);
    expect(await expectJson(await admins(company.id), 200)).toEqual({ members: [], total: 0, next_cursor: null });
  });

  it("a second promotion is 409 'User is already an admin'; demoting a plain member is 409 'User is not an admin'", async () => {
    const { owner, member, company } = await companyScene(t);
    await expectError(await roleChange("demote", company.id, member.user.id, owner.token), 409, "User is not an admin");
    await expectNoContent(await roleChange("promote", company.id, member.user.id, owner.token));
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(
      await roleChange("promote", company.id, member.user.id, owner.token),
      409,
      "User is already an admin",
    );
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("the owner as target is 409; a non-member, an unknown or a malformed user id is 404 'Member not found'", async () => {
    const { owner, outsider, company } = await companyScene(t);
    for (const action of ["promote", "demote"] as const) {
      await expectError(
        await roleChange(action, company.id, owner.user.id, owner.token),
        409,
        "Company owner cannot be promoted or demoted",
      );
      for (const target of [outsider.user.id, UNKNOWN_ID, "not-a-uuid"]) {
        await expectError(await roleChange(action, company.id, target, owner.token), 404, "Member not found");
      }
    }
  });

  it("only the owner: a member, an admin or an outsider is 403; unknown company 404; no token 401", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const admin = await createUserWithToken(t);
    await insertMember(t.deps.db, company.id, admin.user.id, { is_admin: true });
    const before = await companySnapshot(t.deps.db, company.id);
    for (const caller of [member, admin, outsider]) {
      await expectError(
        await roleChange("promote", company.id, member.user.id, caller.token),
        403,
        "Only company owner can perform this action",
      );
      await expectError(
        await roleChange("demote", company.id, admin.user.id, caller.token),
        403,
        "Only company owner can perform this action",
      );
    }
    await expectError(await roleChange("promote", UNKNOWN_ID, member.user.id, owner.token), 404, "Company not found");
    expect((await roleChange("promote", company.id, member.user.id)).status).toBe(401);
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("a hidden company: its owner promotes as usual; anyone else is 403, not 404", async () => {
    const { owner, member, outsider, company } = await companyScene(t, { is_visible: false });
    await expectError(
      await roleChange("promote", company.id, member.user.id, outsider.token),
      403,
      "Only company owner can perform this action",
    );
    await expectNoContent(await roleChange("promote", company.id, member.user.id, owner.token));
  });

  it("an admin who leaves loses the role: rejoining through an invitation starts as a plain member", async () => {
    const { owner, outsider, company } = await companyScene(t);
    await insertMember(t.deps.db, company.id, outsider.user.id, { is_admin: true });
    await expectNoContent(
      await t.request(`/companies/${company.id}/members/me`, { method: "DELETE", token: outsider.token }),
    );
    expect((await expectJson<MemberList>(await admins(company.id), 200)).total).toBe(0);
    const invitation = await inviteOutsider(t, { owner, outsider, company });
    await expectNoContent(
      await t.request(`/companies/invitations/${invitation.id}/accept`, { method: "POST", token: outsider.token }),
    );
    expect(await isAdmin(company.id, outsider.user.id)).toBe(false);
  });

  it("an admin who is removed loses the role too", async () => {
    const { owner, member, company } = await companyScene(t);
    await expectNoContent(await roleChange("promote", company.id, member.user.id, owner.token));
    await expectNoContent(
      await t.request(`/companies/${company.id}/members/${member.user.id}`, { method: "DELETE", token: owner.token }),
    );
    await insertMember(t.deps.db, company.id, member.user.id);
    expect(await isAdmin(company.id, member.user.id)).toBe(false);
  });
});

describe("concurrent role changes", () => {
  it("20 promotions of one member at once: one 204, nineteen 409, the member an admin", async () => {
    const { owner, member, company } = await companyScene(t);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => roleChange("promote", company.id, member.user.id, owner.token)),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([204, ...Array(19).fill(409)]);
    expect(await isAdmin(company.id, member.user.id)).toBe(true);
  });
});

describe("GET /companies/{company_id}/admins", () => {
  it("lists only admin rows, newest first, paged with skip, limit and cursor", async () => {
    const owner = await createUserWithToken(t);
    const company = await insertCompany(t.deps.db, owner.user.id);
    const users = await Promise.all([1, 2, 3, 4].map(() => createUserWithToken(t)));
    const rows = [];
    for (const [index, user] of users.entries()) {
      rows.push(
        await insertMember(t.deps.db, company.id, user.user.id, {
          is_admin: index !== 1,
          created_at: minutesAgo(10 - index),
        }),
      );
    }
    const expected = [rows[3], rows[2], rows[0]].map((row) => row?.id);
    const all = await expectJson<MemberList>(await admins(company.id), 200);
    expect({ ids: all.members.map((row) => row.id), total: all.total }).toEqual({ ids: expected, total: 3 });
    const first = await expectJson<{ members: { id: string }[]; next_cursor: string }>(
      await admins(company.id, undefined, "?limit=2"),
      200,
    );
    expect(first.members.map((row) => row.id)).toEqual(expected.slice(0, 2));
    const next = await expectJson<MemberList>(
      await admins(company.id, undefined, `?limit=2&cursor=${first.next_cursor}`),
      200,
    );
    expect({ ids: next.members.map((row) => row.id), total: next.total }).toEqual({ ids: [expected[2]], total: 3 });
  });

  it("a members-list cursor is refused here: 422 'Invalid cursor' naming the cursor", async () => {
    const { company } = await companyScene(t);
    await insertMember(t.deps.db, company.id, (await createUserWithToken(t)).user.id);
    const members = await expectJson<{ next_cursor: string }>(
      await t.request(`/companies/${company.id}/members?limit=1`),
      200,
    );
    const response = await admins(company.id, undefined, `?cursor=${members.next_cursor}`);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ detail: "Invalid cursor", issues: [{ path: ["cursor"] }] });
  });

  it("bad paging is 422 with the field; unknown company 404; hidden: 404 to outsiders, listed to members", async () => {
    const { owner, member, outsider, company } = await companyScene(t, { is_visible: false });
    const limit = await admins(company.id, owner.token, "?limit=0");
    expect(limit.status).toBe(422);
    expect(await limit.json()).toMatchObject({ issues: [{ path: ["limit"] }] });
    await expectError(await admins(UNKNOWN_ID), 404, "Company not found");
    await expectError(await admins(company.id), 404, "Company not found");
    await expectError(await admins(company.id, outsider.token), 404, "Company not found");
    expect((await admins(company.id, member.token)).status).toBe(200);
  });

  it("through tRPC: companies.admins.list, companies.members.promote and demote", async () => {
    const { owner, member, company } = await companyScene(t);
    const client = trpcClient(t, owner.token);
    await client.companies.members.promote.mutate({ company_id: company.id, user_id: member.user.id });
    const list = await client.companies.admins.list.query({ company_id: company.id });
    expect(list.members.map((row) => row.user_id)).toEqual([member.user.id]);
    await client.companies.members.demote.mutate({ company_id: company.id, user_id: member.user.id });
    expect((await client.companies.admins.list.query({ company_id: company.id })).total).toBe(0);
  });
});
