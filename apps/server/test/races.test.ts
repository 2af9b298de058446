import { companySnapshot, deleteUserRow, insertRequest, invitationRow, requestRow } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, inviteOutsider } from "./company-fixtures.js";
import { createTestApp, createUserWithToken, type TestApp } from "./helpers.js";

// Real concurrency: on PostgreSQL the requests below run in parallel transactions; PGlite serialises them.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ROUNDS = 5;

const statusesOf = (responses: Response[]) => responses.map((response) => response.status).sort();
const times = <T>(count: number, make: () => Promise<T>) => Promise.all(Array.from({ length: count }, make));

const acceptInvitation = (id: string, token: string) =>
  t.request(`/companies/invitations/${id}/accept`, { method: "POST", token });

describe("concurrent requests", () => {
  it("20 accepts of one invitation: one 204, nineteen 409, exactly one membership", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const invitation = await inviteOutsider(t, { owner, outsider, company });
    const responses = await times(20, () => acceptInvitation(invitation.id, outsider.token));
    expect(statusesOf(responses)).toEqual([204, ...Array(19).fill(409)]);
    const after = await companySnapshot(t.deps.db, company.id);
    expect(after.members.filter((member) => member.user_id === outsider.user.id)).toHaveLength(1);
    expect(after.invitations).toEqual([expect.objectContaining({ status: "accepted" })]);
  });

  it("20 join requests of one user: one 201, nineteen 409, one pending request", async () => {
    const { outsider, company } = await companyScene(t);
    const responses = await times(20, () =>
      t.request(`/companies/${company.id}/requests`, { method: "POST", token: outsider.token }),
    );
    expect(statusesOf(responses)).toEqual([201, ...Array(19).fill(409)]);
    const conflicts = responses.filter((response) => response.status === 409);
    for (const response of conflicts) expect(await response.json()).toMatchObject({ detail: "Request already sent" });
    expect((await companySnapshot(t.deps.db, company.id)).requests).toEqual([
      expect.objectContaining({ user_id: outsider.user.id, status: "pending" }),
    ]);
  });

  it("20 invitations of one user: one 201, nineteen 409, one pending invitation", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const responses = await times(20, () =>
      t.request(`/companies/${company.id}/invitations`, {
        method: "POST",
        token: owner.token,
        json: { invited_user_id: outsider.user.id },
      }),
    );
    expect(statusesOf(responses)).toEqual([201, ...Array(19).fill(409)]);
    expect((await companySnapshot(t.deps.db, company.id)).invitations).toHaveLength(1);
  });

  it("an accept racing a cancel ends in exactly one of the two states", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, outsider, company } = await companyScene(t);
      const invitation = await inviteOutsider(t, { owner, outsider, company });
      const [accepted, cancelled] = await Promise.all([
        acceptInvitation(invitation.id, outsider.token),
        t.request(`/companies/${company.id}/invitations/${invitation.id}`, { method: "DELETE", token: owner.token }),
      ]);
      expect([accepted.status, cancelled.status].sort()).toEqual([204, 409]);
      const after = await companySnapshot(t.deps.db, company.id);
      const isMember = after.members.some((member) => member.user_id === outsider.user.id);
      const status = (await invitationRow(t.deps.db, invitation.id))?.status;
      expect({ status, isMember }).toEqual(
        accepted.status === 204 ? { status: "accepted", isMember: true } : { status: "cancelled", isMember: false },
      );
    }
  });

  it("an accept racing a decline of the same invitation: one wins, the state matches it", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, outsider, company } = await companyScene(t);
      const invitation = await inviteOutsider(t, { owner, outsider, company });
      const [accepted, declined] = await Promise.all([
        acceptInvitation(invitation.id, outsider.token),
        t.request(`/companies/invitations/${invitation.id}/decline`, { method: "POST", token: outsider.token }),
      ]);
      expect([accepted.status, declined.status].sort()).toEqual([204, 409]);
      const status = (await invitationRow(t.deps.db, invitation.id))?.status;
      const members = (await companySnapshot(t.deps.db, company.id)).members;
      expect({ status, members: members.length }).toEqual(
        accepted.status === 204 ? { status: "accepted", members: 2 } : { status: "declined", members: 1 },
      );
    }
  });

  it("accepting an invitation and its counterpart request at once ends with exactly one membership", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, outsider, company } = await companyScene(t);
      const invitation = await inviteOutsider(t, { owner, outsider, company });
      const request = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
      const responses = await Promise.all([
        acceptInvitation(invitation.id, outsider.token),
        t.request(`/companies/${company.id}/requests/${request.id}/accept`, { method: "POST", token: owner.token }),
      ]);
      expect(statusesOf(responses)).toEqual([204, 409]);
      const after = await companySnapshot(t.deps.db, company.id);
      expect(after.members.filter((member) => member.user_id === outsider.user.id)).toHaveLength(1);
      expect([after.invitations[0]?.status, after.requests[0]?.status]).toEqual(["accepted", "accepted"]);
    }
  });

  it("an accept racing the deletion of the company never answers 5xx and leaves nothing behind", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, outsider, company } = await companyScene(t);
      const invitation = await inviteOutsider(t, { owner, outsider, company });
      const [accepted, deleted] = await Promise.all([
        acceptInvitation(invitation.id, outsider.token),
        t.request(`/companies/${company.id}`, { method: "DELETE", token: owner.token }),
      ]);
      expect({ accept: [204, 404].includes(accepted.status), delete: deleted.status }).toEqual({
        accept: true,
        delete: 204,
      });
      expect(await companySnapshot(t.deps.db, company.id)).toEqual({
        company: undefined,
        members: [],
        invitations: [],
        requests: [],
      });
    }
  });

  it("an accept racing the deletion of the requester never answers 5xx", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, company } = await companyScene(t);
      const requester = await createUserWithToken(t);
      const request = await insertRequest(t.deps.db, { companyId: company.id, userId: requester.user.id });
      const [accepted] = await Promise.all([
        t.request(`/companies/${company.id}/requests/${request.id}/accept`, { method: "POST", token: owner.token }),
        deleteUserRow(t.deps.db, requester.user.id),
      ]);
      expect([204, 404]).toContain(accepted.status);
      expect(await requestRow(t.deps.db, request.id)).toBeUndefined();
      expect((await companySnapshot(t.deps.db, company.id)).members).toHaveLength(1);
    }
  });

  it("a join request racing the deletion of the company answers 201 or 404, never 5xx", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, outsider, company } = await companyScene(t);
      const [asked, deleted] = await Promise.all([
        t.request(`/companies/${company.id}/requests`, { method: "POST", token: outsider.token }),
        t.request(`/companies/${company.id}`, { method: "DELETE", token: owner.token }),
      ]);
      expect({ ask: [201, 404].includes(asked.status), delete: deleted.status }).toEqual({ ask: true, delete: 204 });
      expect((await companySnapshot(t.deps.db, company.id)).requests).toEqual([]);
    }
  });

  it("a member leaving while the owner removes them: one 204, one 404, the row gone", async () => {
    const { owner, member, company } = await companyScene(t);
    const responses = await Promise.all([
      t.request(`/companies/${company.id}/members/me`, { method: "DELETE", token: member.token }),
      t.request(`/companies/${company.id}/members/${member.user.id}`, { method: "DELETE", token: owner.token }),
    ]);
    expect(statusesOf(responses)).toEqual([204, 404]);
    expect((await companySnapshot(t.deps.db, company.id)).members).toEqual([]);
  });
});
