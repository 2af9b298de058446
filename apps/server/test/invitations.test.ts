import type { Invitation, InvitationList } from "@internship/api";
import { companySnapshot, insertCompany, insertInvitation, invitationRow } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, inviteOutsider, minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

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
      expires_at: expect.stringMatching(ISO_UTC),
    });
  });

  it("works for a hidden company as for a visible one", async () => {
    const { owner, outsider, company } = await companyScene(t, { is_visible: false });
    await expectJson(await invite(company.id, owner.token, { invited_user_id: outsider.user.id }), 201);
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

  it("answers 404 for an unknown invitee", async () => {
    const { owner, company } = await companyScene(t);
    await expectError(await invite(company.id, owner.token, { invited_user_id: UNKNOWN_ID }), 404, "User not found");
  });

  it("answers 409 when the owner invites themselves", async () => {
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

  it("filters by status and pages, the total following the filter", async () => {
    const { owner, company, invitations } = await sceneWithInvitations();
    const pending = await expectJson<InvitationList>(await list(company.id, owner.token, "?status=pending"), 200);
    expect(pending).toEqual({
      invitations: [expect.objectContaining({ id: invitations[0]?.id })],
      total: 1,
      next_cursor: null,
    });
    const page = await expectJson<InvitationList>(
      await list(company.id, owner.token, "?status=all&skip=1&limit=1"),
      200,
    );
    expect(page).toEqual({
      invitations: [expect.objectContaining({ id: invitations[1]?.id })],
      total: 3,
      next_cursor: expect.any(String),
    });
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
