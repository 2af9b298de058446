import type { InvitationList } from "@internship/api";
import {
  companySnapshot,
  insertCompany,
  insertInvitation,
  insertMember,
  insertRequest,
  invitationRow,
  requestRow,
} from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, inviteOutsider, minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("GET /companies/invitations/me", () => {
  it("lists the caller's pending invitations by default; status=all shows every one; others' never", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const second = await insertCompany(t.deps.db, owner.user.id);
    const declined = await insertInvitation(t.deps.db, {
      companyId: second.id,
      userId: outsider.user.id,
      invitedById: owner.user.id,
      status: "declined",
      created_at: minutesAgo(1),
    });
    const pending = await inviteOutsider(t, { owner, outsider, company });
    const someoneElse = await createUserWithToken(t);
    await insertInvitation(t.deps.db, {
      companyId: company.id,
      userId: someoneElse.user.id,
      invitedById: owner.user.id,
    });

    const mine = await expectJson<InvitationList>(
      await t.request("/companies/invitations/me", { token: outsider.token }),
      200,
    );
    expect(mine).toEqual({
      invitations: [expect.objectContaining({ id: pending.id, status: "pending" })],
      total: 1,
      next_cursor: null,
    });
    const all = await expectJson<InvitationList>(
      await t.request("/companies/invitations/me?status=all", { token: outsider.token }),
      200,
    );
    expect(all.invitations.map((invitation) => invitation.id)).toEqual([pending.id, declined.id]);
    expect(all.total).toBe(2);
    const onlyDeclined = await expectJson<InvitationList>(
      await t.request("/companies/invitations/me?status=declined", { token: outsider.token }),
      200,
    );
    expect(onlyDeclined.invitations.map((invitation) => invitation.id)).toEqual([declined.id]);
  });

  it("answers 422 for a bad status or page", async () => {
    const { token } = await createUserWithToken(t);
    await expectError(await t.request("/companies/invitations/me?status=PENDING", { token }), 422, "Validation error");
    await expectError(await t.request("/companies/invitations/me?skip=-1", { token }), 422, "Validation error");
  });
});

describe("POST /companies/invitations/{invitation_id}/accept", () => {
  const accept = (invitationId: string, token?: string, init: RequestInit = {}) =>
    t.request(`/companies/invitations/${invitationId}/accept`, {
      method: "POST",
      ...init,
      ...(token !== undefined && { token }),
    });

  it("makes the invitee a member (204) and accepts their pending request to the same company", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const other = await insertCompany(t.deps.db, owner.user.id);
    const row = await inviteOutsider(t, { owner, outsider, company });
    const counterpart = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    const unrelated = await insertRequest(t.deps.db, { companyId: other.id, userId: outsider.user.id });

    await expectNoContent(await accept(row.id, outsider.token));
    const after = await companySnapshot(t.deps.db, company.id);
    expect(after.members).toContainEqual(
      expect.objectContaining({ user_id: outsider.user.id, company_id: company.id, is_admin: false }),
    );
    expect(after.invitations).toEqual([expect.objectContaining({ id: row.id, status: "accepted" })]);
    expect(after.requests).toEqual([expect.objectContaining({ id: counterpart.id, status: "accepted" })]);
    expect((await requestRow(t.deps.db, unrelated.id))?.status).toBe("pending");
  });

  it("takes no body: whatever is sent, with whatever Content-Type, is ignored", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company });
    await expectNoContent(
      await accept(row.id, outsider.token, { headers: { "content-type": "text/plain" }, body: "{not json" }),
    );
  });

  it("answers 404 for someone else's invitation (existence is not revealed) and changes nothing", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company });
    const before = await companySnapshot(t.deps.db, company.id);
    for (const token of [owner.token, member.token]) {
      await expectError(await accept(row.id, token), 404, "Invitation not found");
    }
    await expectError(await accept(UNKNOWN_ID, outsider.token), 404, "Invitation not found");
    await expectError(await accept("nope", outsider.token), 404, "Invitation not found");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it.each(["accepted", "declined", "cancelled"] as const)("answers 409 for a %s invitation", async (status) => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company }, { status });
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await accept(row.id, outsider.token), 409, "Invitation is not pending");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 409 when the invitee is already a member, leaving the invitation pending", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company });
    await insertMember(t.deps.db, company.id, outsider.user.id);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await accept(row.id, outsider.token), 409, "User is already a member");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 401 without a token and 403 for an inactive invitee", async () => {
    const { owner, company } = await companyScene(t);
    const inactive = await createUserWithToken(t, { is_active: false });
    const row = await insertInvitation(t.deps.db, {
      companyId: company.id,
      userId: inactive.user.id,
      invitedById: owner.user.id,
    });
    await expectError(await accept(row.id), 401, "Could not validate credentials");
    await expectError(await accept(row.id, inactive.token), 403, "Inactive user");
    expect((await invitationRow(t.deps.db, row.id))?.status).toBe("pending");
  });
});

describe("POST /companies/invitations/{invitation_id}/decline", () => {
  const decline = (invitationId: string, token: string) =>
    t.request(`/companies/invitations/${invitationId}/decline`, { method: "POST", token });

  it("declines (204): no membership, and a pending request of the pair stays pending", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company });
    const request = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    await expectNoContent(await decline(row.id, outsider.token));
    const after = await companySnapshot(t.deps.db, company.id);
    expect(after.members.map((member) => member.user_id)).not.toContain(outsider.user.id);
    expect(after.invitations).toEqual([expect.objectContaining({ id: row.id, status: "declined" })]);
    expect(after.requests).toEqual([request]);
  });

  it("answers 404 for someone else's invitation and 409 for one that is not pending", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company });
    await expectError(await decline(row.id, owner.token), 404, "Invitation not found");
    expect((await invitationRow(t.deps.db, row.id))?.status).toBe("pending");
    await expectNoContent(await decline(row.id, outsider.token));
    await expectError(await decline(row.id, outsider.token), 409, "Invitation is not pending");
  });
});

describe("invitations over tRPC", () => {
  it("invites, lists, accepts, declines and cancels", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const third = await createUserWithToken(t);
    const asOwner = trpcClient(t, owner.token);
    const asInvitee = trpcClient(t, outsider.token);

    const first = await asOwner.companies.invitations.create.mutate({
      company_id: company.id,
      invited_user_id: outsider.user.id,
    });
    expect(first).toMatchObject({ status: "pending", invited_by_id: owner.user.id });
    const mine = await asInvitee.companies.invitations.listMine.query({});
    expect(mine).toEqual({ invitations: [first], total: 1, next_cursor: null });
    expect(await asInvitee.companies.invitations.accept.mutate({ invitation_id: first.id })).toBeUndefined();
    await expect(asInvitee.companies.invitations.decline.mutate({ invitation_id: first.id })).rejects.toMatchObject({
      message: "Invitation is not pending",
      data: { code: "CONFLICT" },
    });

    const second = await asOwner.companies.invitations.create.mutate({
      company_id: company.id,
      invited_user_id: third.user.id,
    });
    await trpcClient(t, third.token).companies.invitations.decline.mutate({ invitation_id: second.id });
    const again = await asOwner.companies.invitations.create.mutate({
      company_id: company.id,
      invited_user_id: third.user.id,
    });
    await asOwner.companies.invitations.cancel.mutate({ company_id: company.id, invitation_id: again.id });

    const listed = await asOwner.companies.invitations.listForCompany.query({ company_id: company.id });
    // Order is the REST tests' business: these rows may share a creation millisecond.
    expect(listed.total).toBe(3);
    expect(listed.invitations.map((invitation) => [invitation.id, invitation.status])).toEqual(
      expect.arrayContaining([
        [again.id, "cancelled"],
        [second.id, "declined"],
        [first.id, "accepted"],
      ]),
    );
    await expect(
      asInvitee.companies.invitations.listForCompany.query({ company_id: company.id, status: "pending" }),
    ).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
  });
});
