import {
  companySnapshot,
  insertCompany,
  insertMember,
  insertRequest,
  invitationRow,
  requestRow,
} from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, inviteOutsider } from "./company-fixtures.js";
import { expectError, expectNoContent, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const withToken = (token: string | undefined) => (token === undefined ? {} : { token });

describe("POST /companies/{company_id}/requests/{request_id}/accept", () => {
  const accept = (companyId: string, requestId: string, token?: string) =>
    t.request(`/companies/${companyId}/requests/${requestId}/accept`, { method: "POST", ...withToken(token) });

  it("makes the requester a member (204) and accepts the pending invitation of the pair", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    const counterpart = await inviteOutsider(t, { owner, outsider, company });
    await expectNoContent(await accept(company.id, row.id, owner.token));
    const after = await companySnapshot(t.deps.db, company.id);
    expect(after.members).toContainEqual(expect.objectContaining({ user_id: outsider.user.id, is_admin: false }));
    expect(after.requests).toEqual([expect.objectContaining({ id: row.id, status: "accepted" })]);
    expect(after.invitations).toEqual([expect.objectContaining({ id: counterpart.id, status: "accepted" })]);
  });

  it("answers 401, 404 company, 403 non-owner (the requester included), 404 request, and changes nothing", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await accept(company.id, row.id), 401, "Could not validate credentials");
    await expectError(await accept(UNKNOWN_ID, row.id, owner.token), 404, "Company not found");
    for (const token of [outsider.token, member.token]) {
      await expectError(await accept(company.id, row.id, token), 403, "Only company owner can perform this action");
    }
    await expectError(await accept(company.id, UNKNOWN_ID, owner.token), 404, "Request not found");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 404 for a request to another company of the same owner", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const other = await insertCompany(t.deps.db, owner.user.id);
    const row = await insertRequest(t.deps.db, { companyId: other.id, userId: outsider.user.id });
    await expectError(await accept(company.id, row.id, owner.token), 404, "Request not found");
    expect((await requestRow(t.deps.db, row.id))?.status).toBe("pending");
  });

  it.each(["accepted", "declined", "cancelled"] as const)("answers 409 for a %s request", async (status) => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id, status });
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await accept(company.id, row.id, owner.token), 409, "Request is not pending");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 409 when the requester is already a member, leaving the request pending", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    await insertMember(t.deps.db, company.id, outsider.user.id);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await accept(company.id, row.id, owner.token), 409, "User is already a member");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });
});

describe("POST /companies/{company_id}/requests/{request_id}/decline", () => {
  const decline = (companyId: string, requestId: string, token: string) =>
    t.request(`/companies/${companyId}/requests/${requestId}/decline`, { method: "POST", token });

  it("declines (204): no membership; a pending invitation of the pair stays pending", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    const invitation = await inviteOutsider(t, { owner, outsider, company });
    await expectNoContent(await decline(company.id, row.id, owner.token));
    const after = await companySnapshot(t.deps.db, company.id);
    expect(after.members.map((member) => member.user_id)).not.toContain(outsider.user.id);
    expect(after.requests).toEqual([expect.objectContaining({ id: row.id, status: "declined" })]);
    expect(await invitationRow(t.deps.db, invitation.id)).toEqual(invitation);
  });

  it("answers 403 to the requester, 404 for an unknown request and 409 once it is not pending", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    await expectError(
      await decline(company.id, row.id, outsider.token),
      403,
      "Only company owner can perform this action",
    );
    await expectError(await decline(company.id, UNKNOWN_ID, owner.token), 404, "Request not found");
    await expectNoContent(await decline(company.id, row.id, owner.token));
    await expectError(await decline(company.id, row.id, owner.token), 409, "Request is not pending");
  });
});

describe("join requests over tRPC", () => {
  it("asks, lists, cancels, accepts and declines", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const third = await createUserWithToken(t);
    const asOwner = trpcClient(t, owner.token);
    const asRequester = trpcClient(t, outsider.token);

    const first = await asRequester.companies.requests.create.mutate({ company_id: company.id });
    expect(first).toMatchObject({ status: "pending", user_id: outsider.user.id });
    await asRequester.companies.requests.cancel.mutate({ company_id: company.id, request_id: first.id });
    const second = await asRequester.companies.requests.create.mutate({ company_id: company.id });
    expect(await asOwner.companies.requests.listForCompany.query({ company_id: company.id })).toEqual({
      requests: [second],
      total: 1,
      next_cursor: null,
    });
    expect(
      await asOwner.companies.requests.accept.mutate({ company_id: company.id, request_id: second.id }),
    ).toBeUndefined();

    const thirdRequest = await trpcClient(t, third.token).companies.requests.create.mutate({ company_id: company.id });
    await asOwner.companies.requests.decline.mutate({ company_id: company.id, request_id: thirdRequest.id });

    const mine = await asRequester.companies.requests.listMine.query({});
    // Order is the REST tests' business: these rows may share a creation millisecond.
    expect(mine.total).toBe(2);
    expect(mine.requests.map((request) => [request.id, request.status])).toEqual(
      expect.arrayContaining([
        [second.id, "accepted"],
        [first.id, "cancelled"],
      ]),
    );
    await expect(asRequester.companies.requests.create.mutate({ company_id: company.id })).rejects.toMatchObject({
      message: "User is already a member",
      data: { code: "CONFLICT" },
    });
  });
});
