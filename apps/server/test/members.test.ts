import type { MemberList } from "@internship/api";
import { companySnapshot, insertCompany, insertMember } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const withToken = (token: string | undefined) => (token === undefined ? {} : { token });

describe("GET /companies/{company_id}/members", () => {
  const list = (companyId: string, init: { token?: string; headers?: Record<string, string> } = {}, query = "") =>
    t.request(`/companies/${companyId}/members${query}`, init);

  it("lists members newest first (joined_at desc, id desc) with usernames and the total; the owner is not listed", async () => {
    const owner = await createUserWithToken(t);
    const company = await insertCompany(t.deps.db, owner.user.id);
    const users = await Promise.all([createUserWithToken(t), createUserWithToken(t), createUserWithToken(t)]);
    const base = Date.parse("2026-03-01T12:00:00.000Z");
    const [oldest, tieA, tieB] = [
      await insertMember(t.deps.db, company.id, users[0]?.user.id ?? "", { created_at: new Date(base) }),
      await insertMember(t.deps.db, company.id, users[1]?.user.id ?? "", { created_at: new Date(base + 5000) }),
      await insertMember(t.deps.db, company.id, users[2]?.user.id ?? "", {
        created_at: new Date(base + 5000),
        is_admin: true,
      }),
    ];
    const ties = [tieA, tieB].sort((a, b) => (a.id < b.id ? 1 : -1));

    const body = await expectJson<MemberList>(await list(company.id), 200);
    expect(body.total).toBe(3);
    expect(body.members.map((member) => member.id)).toEqual([ties[0]?.id, ties[1]?.id, oldest.id]);
    const admin = body.members.find((member) => member.id === tieB.id);
    expect(admin).toEqual({
      id: tieB.id,
      user_id: users[2]?.user.id,
      company_id: company.id,
      username: users[2]?.user.username,
      is_admin: true,
      joined_at: new Date(base + 5000).toISOString(),
      created_at: new Date(base + 5000).toISOString(),
      updated_at: expect.stringMatching(ISO_UTC),
    });
    expect(body.members.map((member) => member.user_id)).not.toContain(owner.user.id);
  });

  it("pages with skip and limit, the total unchanged; a skip past the end is an empty page", async () => {
    const { company } = await companyScene(t);
    const extra = await createUserWithToken(t);
    await insertMember(t.deps.db, company.id, extra.user.id);
    const all = await expectJson<MemberList>(await list(company.id), 200);
    expect(await expectJson(await list(company.id, {}, "?skip=1&limit=1"), 200)).toEqual({
      members: [all.members[1]],
      total: 2,
      next_cursor: null,
    });
    expect(await expectJson(await list(company.id, {}, "?skip=2"), 200)).toEqual({
      members: [],
      total: 2,
      next_cursor: null,
    });
  });

  it("shows a hidden company's members to its owner and members only; anyone else gets 404", async () => {
    const { owner, member, outsider, company } = await companyScene(t, { is_visible: false });
    for (const token of [owner.token, member.token]) {
      expect((await expectJson<MemberList>(await list(company.id, { token }), 200)).total).toBe(1);
    }
    await expectError(await list(company.id), 404, "Company not found");
    await expectError(await list(company.id, { token: outsider.token }), 404, "Company not found");
    await expectError(await list(company.id, { headers: { authorization: "Bearer bad" } }), 404, "Company not found");
  });

  it("ignores a bad token on a visible company (optional auth never answers 401)", async () => {
    const { company } = await companyScene(t);
    await expectJson(await list(company.id, { headers: { authorization: "Bearer bad" } }), 200);
  });

  it("answers 404 for an unknown or malformed company id and 422 for a bad page", async () => {
    const { company } = await companyScene(t);
    await expectError(await list(UNKNOWN_ID), 404, "Company not found");
    await expectError(await list("nope"), 404, "Company not found");
    await expectError(await list(company.id, {}, "?limit=0"), 422, "Validation error");
  });
});

describe("DELETE /companies/{company_id}/members/me", () => {
  const leave = (companyId: string, token?: string) =>
    t.request(`/companies/${companyId}/members/me`, { method: "DELETE", ...withToken(token) });

  it("removes the caller's membership (204), admin status included; they may then ask and be invited again", async () => {
    const { owner, company } = await companyScene(t);
    const admin = await createUserWithToken(t);
    await insertMember(t.deps.db, company.id, admin.user.id, { is_admin: true });
    await expectNoContent(await leave(company.id, admin.token));
    const after = await companySnapshot(t.deps.db, company.id);
    expect(after.members.map((member) => member.user_id)).not.toContain(admin.user.id);

    await expectJson(await t.request(`/companies/${company.id}/requests`, { method: "POST", token: admin.token }), 201);
    await expectJson(
      await t.request(`/companies/${company.id}/invitations`, {
        method: "POST",
        token: owner.token,
        json: { invited_user_id: admin.user.id },
      }),
      201,
    );
  });

  it("answers 404 for an unknown company, or a hidden one the caller is not in", async () => {
    const { outsider, company } = await companyScene(t, { is_visible: false });
    await expectError(await leave(UNKNOWN_ID, outsider.token), 404, "Company not found");
    await expectError(await leave(company.id, outsider.token), 404, "Company not found");
  });

  it("answers 409 to the owner and 404 to a non-member, and changes nothing", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await leave(company.id, owner.token), 409, "Company owner cannot leave the company");
    await expectError(await leave(company.id, outsider.token), 404, "You are not a member of this company");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });
});

describe("DELETE /companies/{company_id}/members/{user_id}", () => {
  const remove = (companyId: string, userId: string, token?: string) =>
    t.request(`/companies/${companyId}/members/${userId}`, { method: "DELETE", ...withToken(token) });

  it("lets the owner remove a member (204); the removed user may ask to join again", async () => {
    const { owner, member, company } = await companyScene(t);
    await expectNoContent(await remove(company.id, member.user.id, owner.token));
    expect((await companySnapshot(t.deps.db, company.id)).members).toEqual([]);
    await expectJson(
      await t.request(`/companies/${company.id}/requests`, { method: "POST", token: member.token }),
      201,
    );
  });

  it("answers 401, 404 company, then 403 to anyone but the owner (even targeting the owner), and changes nothing", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await remove(company.id, member.user.id), 401, "Could not validate credentials");
    await expectError(await remove(UNKNOWN_ID, member.user.id, owner.token), 404, "Company not found");
    for (const [token, target] of [
      [outsider.token, member.user.id],
      [member.token, member.user.id],
      [member.token, owner.user.id],
    ] as const) {
      await expectError(await remove(company.id, target, token), 403, "Only company owner can perform this action");
    }
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 409 when the target is the owner and 404 for someone who is not a member", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await remove(company.id, owner.user.id, owner.token), 409, "Company owner cannot be removed");
    await expectError(await remove(company.id, outsider.user.id, owner.token), 404, "Member not found");
    await expectError(await remove(company.id, UNKNOWN_ID, owner.token), 404, "Member not found");
    await expectError(await remove(company.id, "not-a-uuid", owner.token), 404, "Member not found");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 404 for a member of another company of the same owner", async () => {
    const { owner, member, company } = await companyScene(t);
    const other = await insertCompany(t.deps.db, owner.user.id);
    await expectError(await remove(other.id, member.user.id, owner.token), 404, "Member not found");
    expect((await companySnapshot(t.deps.db, company.id)).members).toHaveLength(1);
  });
});

describe("members over tRPC", () => {
  it("lists anonymously, removes and leaves", async () => {
    const { owner, member, company } = await companyScene(t);
    const second = await createUserWithToken(t);
    await insertMember(t.deps.db, company.id, second.user.id);

    const listed = await trpcClient(t).companies.members.list.query({ company_id: company.id });
    expect(listed.total).toBe(2);
    expect(listed.members.map((row) => row.user_id)).toEqual(expect.arrayContaining([second.user.id, member.user.id]));

    await trpcClient(t, owner.token).companies.members.remove.mutate({
      company_id: company.id,
      user_id: second.user.id,
    });
    expect(
      await trpcClient(t, member.token).companies.members.leave.mutate({ company_id: company.id }),
    ).toBeUndefined();
    expect(await trpcClient(t).companies.members.list.query({ company_id: company.id })).toEqual({
      members: [],
      total: 0,
      next_cursor: null,
    });
    await expect(
      trpcClient(t, owner.token).companies.members.leave.mutate({ company_id: company.id }),
    ).rejects.toMatchObject({ message: "Company owner cannot leave the company", data: { code: "CONFLICT" } });
  });
});
