import { companySnapshot, insertMember, invitationRow } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, inviteOutsider, minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, expectTrpcError, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type InvitationBody = { id: string; status: string; expires_at: string; created_at: string; updated_at: string };
type ListBody = { invitations: InvitationBody[]; total: number };

const HOUR = 3_600_000;

/** A scene whose outsider holds an invitation that expired a minute ago. */
async function expiredScene() {
  const scene = await companyScene(t);
  const invitation = await inviteOutsider(t, scene, { created_at: minutesAgo(60), expires_at: minutesAgo(1) });
  return { ...scene, invitation };
}

const invite = (companyId: string, token: string, userId: string) =>
  t.request(`/companies/${companyId}/invitations`, { method: "POST", token, json: { invited_user_id: userId } });
const resend = (companyId: string, invitationId: string, token: string) =>
  t.request(`/companies/${companyId}/invitations/${invitationId}/resend`, { method: "POST", token });
const listOf = async (path: string, token: string) => expectJson<ListBody>(await t.request(path, { token }), 200);

describe("invitation expiry", () => {
  it("a new invitation expires INVITATION_TTL_HOURS (168) after its creation", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const body = await expectJson<InvitationBody>(await invite(company.id, owner.token, outsider.user.id), 201);
    expect(body.expires_at).toMatch(ISO_UTC);
    expect(Date.parse(body.expires_at) - Date.parse(body.created_at)).toBeCloseTo(168 * HOUR, -3);
  });

  it("a pending invitation past its expiry reads as expired in both lists, and filters as expired", async () => {
    const { owner, outsider, company, invitation } = await expiredScene();
    const base = `/companies/${company.id}/invitations`;
    expect((await listOf(base, owner.token)).invitations).toEqual([
      expect.objectContaining({ id: invitation.id, status: "expired" }),
    ]);
    expect(await listOf(`${base}?status=pending`, owner.token)).toMatchObject({ invitations: [], total: 0 });
    expect(await listOf(`${base}?status=expired`, owner.token)).toMatchObject({ total: 1 });
    const mine = "/companies/invitations/me";
    expect(await listOf(mine, outsider.token)).toMatchObject({ invitations: [], total: 0 });
    expect((await listOf(`${mine}?status=expired`, outsider.token)).invitations.map((i) => i.status)).toEqual([
      "expired",
    ]);
    const overTrpc = await trpcClient(t, outsider.token).companies.invitations.listMine.query({ status: "expired" });
    expect(overTrpc.invitations.map((i) => [i.id, i.status])).toEqual([[invitation.id, "expired"]]);
    // Nothing was rewritten: the read alone says expired.
    expect((await invitationRow(t.deps.db, invitation.id))?.status).toBe("pending");
  });

  it("accepting or declining it is 409 and changes nothing; cancelling it is 204", async () => {
    const { owner, outsider, company, invitation } = await expiredScene();
    const before = await companySnapshot(t.deps.db, company.id);
    for (const action of ["accept", "decline"]) {
      const response = await t.request(`/companies/invitations/${invitation.id}/${action}`, {
        method: "POST",
        token: outsider.token,
      });
      await expectError(response, 409, "Invitation has expired");
    }
    const client = trpcClient(t, outsider.token);
    await expectTrpcError(
      client.companies.invitations.accept.mutate({ invitation_id: invitation.id }),
      "CONFLICT",
      "Invitation has expired",
    );
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
    const cancel = `/companies/${company.id}/invitations/${invitation.id}`;
    await expectNoContent(await t.request(cancel, { method: "DELETE", token: owner.token }));
    expect((await invitationRow(t.deps.db, invitation.id))?.status).toBe("cancelled");
  });

  it("never blocks a new invitation: the expired one is settled as expired in the same step", async () => {
    const { owner, outsider, company, invitation } = await expiredScene();
    const fresh = await expectJson<InvitationBody>(await invite(company.id, owner.token, outsider.user.id), 201);
    expect(fresh).toMatchObject({ status: "pending" });
    expect((await invitationRow(t.deps.db, invitation.id))?.status).toBe("expired");
    // The settled row still reads as expired, and can still be withdrawn.
    await expectError(
      await t.request(`/companies/invitations/${invitation.id}/accept`, { method: "POST", token: outsider.token }),
      409,
      "Invitation has expired",
    );
    await expectNoContent(
      await t.request(`/companies/invitations/${fresh.id}/accept`, { method: "POST", token: outsider.token }),
    );
  });

  it("over tRPC too: a re-invitation after expiry is created", async () => {
    const { owner, outsider, company } = await expiredScene();
    const created = await trpcClient(t, owner.token).companies.invitations.create.mutate({
      company_id: company.id,
      invited_user_id: outsider.user.id,
    });
    expect(created.status).toBe("pending");
  });

  it("two concurrent re-invitations after expiry give one pending invitation", async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, outsider, company } = await expiredScene();
      const responses = await Promise.all([
        invite(company.id, owner.token, outsider.user.id),
        invite(company.id, owner.token, outsider.user.id),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      const statuses = (await companySnapshot(t.deps.db, company.id)).invitations.map((i) => i.status).sort();
      expect(statuses).toEqual(["expired", "pending"]);
    }
  });
});

describe("POST /companies/{company_id}/invitations/{invitation_id}/resend", () => {
  it("gives an expired invitation a fresh lifetime: 200, pending again, and it can be accepted", async () => {
    const { owner, outsider, company, invitation } = await expiredScene();
    const body = await expectJson<InvitationBody>(await resend(company.id, invitation.id, owner.token), 200);
    expect(body).toMatchObject({ id: invitation.id, status: "pending" });
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(167 * HOUR);
    await expectNoContent(
      await t.request(`/companies/invitations/${invitation.id}/accept`, { method: "POST", token: outsider.token }),
    );
  });

  it("revives one settled as expired (settling the pair's other expired one), then extends it", async () => {
    const { owner, outsider, company, invitation } = await expiredScene();
    const pending = await inviteOutsider(t, { owner, outsider, company }, { status: "expired" });
    const revived = await expectJson<InvitationBody>(await resend(company.id, pending.id, owner.token), 200);
    expect(revived.status).toBe("pending");
    const extended = await expectJson<InvitationBody>(await resend(company.id, pending.id, owner.token), 200);
    expect(extended.expires_at >= revived.expires_at).toBe(true);
    // The other expired one of the pair cannot be revived while this one is pending.
    await expectError(await resend(company.id, invitation.id, owner.token), 409, "Invitation already sent");
  });

  it("refuses accepted, declined and cancelled invitations with 409", async () => {
    const { owner, outsider, company } = await companyScene(t);
    for (const status of ["accepted", "declined", "cancelled"] as const) {
      const row = await inviteOutsider(t, { owner, outsider, company }, { status });
      await expectError(
        await resend(company.id, row.id, owner.token),
        409,
        "Can only resend pending or expired invitations",
      );
    }
  });

  it("refuses an invitee who became a member meanwhile: 409", async () => {
    const { owner, outsider, company, invitation } = await expiredScene();
    await insertMember(t.deps.db, company.id, outsider.user.id);
    await expectError(await resend(company.id, invitation.id, owner.token), 409, "User is already a member");
  });

  it("is for the owner (403 for a member), and 404 for an unknown invitation or another company's", async () => {
    const { owner, member, company, invitation } = await expiredScene();
    await expectError(await resend(company.id, invitation.id, member.token), 403);
    await expectError(await resend(UNKNOWN_ID, invitation.id, owner.token), 404, "Company not found");
    await expectError(await resend(company.id, UNKNOWN_ID, owner.token), 404, "Invitation not found");
    const other = await expiredScene();
    await expectError(await resend(company.id, other.invitation.id, owner.token), 404, "Invitation not found");
    expect((await invitationRow(t.deps.db, invitation.id))?.status).toBe("pending");
  });

  it("is served over tRPC, with the same rules", async () => {
    const { owner, member, company, invitation } = await expiredScene();
    const input = { company_id: company.id, invitation_id: invitation.id };
    await expectTrpcError(trpcClient(t, member.token).companies.invitations.resend.mutate(input), "FORBIDDEN");
    const body = await trpcClient(t, owner.token).companies.invitations.resend.mutate(input);
    expect(body.status).toBe("pending");
    await t.request(`/companies/${company.id}/invitations/${invitation.id}`, { method: "DELETE", token: owner.token });
    await expectTrpcError(
      trpcClient(t, owner.token).companies.invitations.resend.mutate(input),
      "CONFLICT",
      "Can only resend pending or expired invitations",
    );
  });
});
