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
import {
  companyScene,
  expectError,
  expectJson,
  expectNoContent,
  ISO_UTC,
  inviteOutsider,
  minutesAgo,
  UNKNOWN_ID,
} from "./company-fixtures.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Invitation = {
  id: string;
  company_id: string;
  invited_user_id: string;
  invited_by_id: string;
  status: string;
  created_at: string;
  updated_at: string;
};
type InvitationList = { invitations: Invitation[]; total: number };

const invite = (companyId: string, token: string | undefined, json: unknown) =>
  t.request(`/companies/${companyId}/invitations`, { method: "POST", json, ...(token !== undefined && { token }) });

describe("POST /companies/{company_id}/invitations", () => {
  it("answers 201 with a pending invitation sent by the owner; status and invited_by_id in the body are ignored", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const body = await expectJson<Invitation>(
      await invite(company.id, owner.token, {
        invited_user_id: outsider.user.id,
        status: "accepted",
        invited_by_id: member.user.id,
      }),
      201,
    );
    expect(body).toEqual({
      id: expect.any(String),
      company_id: company.id,
      invited_user_id: outsider.user.id,
      invited_by_id: owner.user.id,
      status: "pending",
      created_at: expect.stringMatching(ISO_UTC),
      updated_at: body.created_at,
    });
  });

  it("works for a hidden company as for a visible one", async () => {
    const { owner, outsider, company } = await companyScene(t, { is_visible: false });
    await expectJson(await invite(company.id, owner.token, { invited_user_id: outsider.user.id }), 201);
  });

  it("answers 401 without a token and 403 for an inactive user", async () => {
    const { outsider, company } = await companyScene(t);
    const inactive = await createUserWithToken(t, { is_active: false });
    const json = { invited_user_id: outsider.user.id };
    await expectError(await invite(company.id, undefined, json), 401, "Could not validate credentials");
    await expectError(await invite(company.id, inactive.token, json), 403, "Inactive user");
  });

  it.each([
    ["a missing invited_user_id", {}],
    ["a malformed invited_user_id", { invited_user_id: "not-a-uuid" }],
    ["a numeric invited_user_id", { invited_user_id: 7 }],
  ])("answers 422 for %s, even on an unknown company", async (_case, json) => {
    const { owner, company } = await companyScene(t);
    await expectError(await invite(company.id, owner.token, json), 422, "Validation error");
    await expectError(await invite(UNKNOWN_ID, owner.token, json), 422, "Validation error");
  });

  it("answers 404 for an unknown or malformed company id", async () => {
    const { owner, outsider } = await companyScene(t);
    const json = { invited_user_id: outsider.user.id };
    await expectError(await invite(UNKNOWN_ID, owner.token, json), 404, "Company not found");
    await expectError(await invite("nope", owner.token, json), 404, "Company not found");
  });

  it("answers 403 to anyone but the owner (hidden company or not), before looking at the invitee", async () => {
    for (const is_visible of [true, false]) {
      const { member, outsider, company } = await companyScene(t, { is_visible });
      const before = await companySnapshot(t.deps.db, company.id);
      for (const [token, invitee] of [
        [member.token, outsider.user.id],
        [outsider.token, outsider.user.id],
        [member.token, UNKNOWN_ID],
      ] as const) {
        await expectError(
          await invite(company.id, token, { invited_user_id: invitee }),
          403,
          "Only company owner can perform this action",
        );
      }
      expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
    }
  });

  it("answers 404 for an unknown invitee (D28)", async () => {
    const { owner, company } = await companyScene(t);
    await expectError(await invite(company.id, owner.token, { invited_user_id: UNKNOWN_ID }), 404, "User not found");
  });

  it("answers 409 when the owner invites themselves (D29)", async () => {
    const { owner, company } = await companyScene(t);
    await expectError(
      await invite(company.id, owner.token, { invited_user_id: owner.user.id }),
      409,
      "Company owner cannot be invited",
    );
  });

  it("answers 409 when the user is already a member", async () => {
    const { owner, member, company } = await companyScene(t);
    await expectError(
      await invite(company.id, owner.token, { invited_user_id: member.user.id }),
      409,
      "User is already a member",
    );
  });

  it("answers 409 when a pending invitation exists, and keeps the one", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const json = { invited_user_id: outsider.user.id };
    await expectJson(await invite(company.id, owner.token, json), 201);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await invite(company.id, owner.token, json), 409, "Invitation already sent");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it.each(["declined", "cancelled", "accepted"] as const)(
    "lets the owner invite again once the last invitation is %s (and the user is not a member)",
    async (status) => {
      const { owner, outsider, company } = await companyScene(t);
      await inviteOutsider(t, { owner, outsider, company }, { status });
      await expectJson(await invite(company.id, owner.token, { invited_user_id: outsider.user.id }), 201);
    },
  );
});

describe("GET /companies/{company_id}/invitations", () => {
  async function sceneWithInvitations() {
    const scene = await companyScene(t);
    const users = await Promise.all([createUserWithToken(t), createUserWithToken(t), createUserWithToken(t)]);
    const statuses = ["pending", "declined", "cancelled"] as const;
    const invitations = [];
    for (const [index, status] of statuses.entries()) {
      invitations.push(
        await insertInvitation(t.deps.db, {
          companyId: scene.company.id,
          userId: users[index]?.user.id ?? "",
          invitedById: scene.owner.user.id,
          status,
          created_at: minutesAgo(statuses.length - index),
        }),
      );
    }
    return { ...scene, invitations };
  }
  const list = (companyId: string, token: string | undefined, query = "") =>
    t.request(`/companies/${companyId}/invitations${query}`, token === undefined ? {} : { token });

  it("lists every invitation of the company by default, newest first, with the total", async () => {
    const { owner, company, invitations } = await sceneWithInvitations();
    const body = await expectJson<InvitationList>(await list(company.id, owner.token), 200);
    expect(body.total).toBe(3);
    expect(body.invitations.map((invitation) => invitation.id)).toEqual(invitations.map((row) => row.id).reverse());
  });

  it("filters by status and pages, the total following the filter (D31)", async () => {
    const { owner, company, invitations } = await sceneWithInvitations();
    const pending = await expectJson<InvitationList>(await list(company.id, owner.token, "?status=pending"), 200);
    expect(pending).toEqual({ invitations: [expect.objectContaining({ id: invitations[0]?.id })], total: 1 });
    const page = await expectJson<InvitationList>(
      await list(company.id, owner.token, "?status=all&skip=1&limit=1"),
      200,
    );
    expect(page).toEqual({ invitations: [expect.objectContaining({ id: invitations[1]?.id })], total: 3 });
  });

  it("answers 401, 422, 404 and 403 in that order", async () => {
    const { member, company } = await sceneWithInvitations();
    await expectError(await list(company.id, undefined), 401, "Could not validate credentials");
    await expectError(await list(company.id, member.token, "?status=open"), 422, "Validation error");
    await expectError(await list(company.id, member.token, "?limit=101"), 422, "Validation error");
    await expectError(await list(UNKNOWN_ID, member.token), 404, "Company not found");
    await expectError(await list(company.id, member.token), 403, "Only company owner can perform this action");
  });
});

describe("DELETE /companies/{company_id}/invitations/{invitation_id}", () => {
  const cancel = (companyId: string, invitationId: string, token?: string) =>
    t.request(`/companies/${companyId}/invitations/${invitationId}`, {
      method: "DELETE",
      ...(token !== undefined && { token }),
    });

  it("cancels a pending invitation (204) and moves updated_at", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company }, { created_at: minutesAgo(1) });
    await expectNoContent(await cancel(company.id, row.id, owner.token));
    const after = await invitationRow(t.deps.db, row.id);
    expect(after?.status).toBe("cancelled");
    expect(after?.updated_at.getTime()).toBeGreaterThan(row.updated_at.getTime());
  });

  it("answers 401, 404 company, 403 non-owner (the invitee included), 404 invitation, and changes nothing", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company });
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await cancel(company.id, row.id), 401, "Could not validate credentials");
    await expectError(await cancel(UNKNOWN_ID, row.id, owner.token), 404, "Company not found");
    for (const token of [outsider.token, member.token]) {
      await expectError(await cancel(company.id, row.id, token), 403, "Only company owner can perform this action");
    }
    await expectError(await cancel(company.id, UNKNOWN_ID, owner.token), 404, "Invitation not found");
    await expectError(await cancel(company.id, "nope", owner.token), 404, "Invitation not found");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 404 for an invitation of another company, even one the caller owns", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const other = await insertCompany(t.deps.db, owner.user.id);
    const row = await insertInvitation(t.deps.db, {
      companyId: other.id,
      userId: outsider.user.id,
      invitedById: owner.user.id,
    });
    await expectError(await cancel(company.id, row.id, owner.token), 404, "Invitation not found");
    expect((await invitationRow(t.deps.db, row.id))?.status).toBe("pending");
  });

  it.each(["accepted", "declined", "cancelled"] as const)("answers 409 for a %s invitation", async (status) => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await inviteOutsider(t, { owner, outsider, company }, { status });
    await expectError(await cancel(company.id, row.id, owner.token), 409, "Can only cancel pending invitations");
    expect(await invitationRow(t.deps.db, row.id)).toEqual(row);
  });
});

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
    expect(mine).toEqual({ invitations: [expect.objectContaining({ id: pending.id, status: "pending" })], total: 1 });
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

  it("answers 401 without a token and 422 for a bad status or page", async () => {
    const { token } = await createUserWithToken(t);
    await expectError(await t.request("/companies/invitations/me"), 401, "Could not validate credentials");
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

  it("makes the invitee a member (204) and accepts their pending request to the same company (D30)", async () => {
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
    expect(mine).toEqual({ invitations: [first], total: 1 });
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
