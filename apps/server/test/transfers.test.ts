import { companySnapshot, insertTransfer, ownerOf, transferRow } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, expectTrpcError, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type TransferBody = { id: string; status: string; expires_at: string; created_at: string };

const HOUR = 3_600_000;
const offer = (companyId: string, token: string, newOwnerId: string) =>
  t.request(`/companies/${companyId}/ownership-transfers`, {
    method: "POST",
    token,
    json: { new_owner_id: newOwnerId },
  });
const answer = (id: string, action: "accept" | "decline", token: string) =>
  t.request(`/companies/ownership-transfers/${id}/${action}`, { method: "POST", token });
const cancel = (companyId: string, id: string, token: string) =>
  t.request(`/companies/${companyId}/ownership-transfers/${id}`, { method: "DELETE", token });

/** A scene with a pending transfer from the owner to the member. */
async function offeredScene(values: Partial<Parameters<typeof insertTransfer>[1]> = {}) {
  const scene = await companyScene(t);
  const transfer = await insertTransfer(t.deps.db, {
    companyId: scene.company.id,
    fromUserId: scene.owner.user.id,
    toUserId: scene.member.user.id,
    ...values,
  });
  return { ...scene, transfer };
}

describe("POST /companies/{company_id}/ownership-transfers", () => {
  it("offers the company to a member: 201 Transfer, pending for 48 hours", async () => {
    const { owner, member, company } = await companyScene(t);
    const body = await expectJson<TransferBody>(await offer(company.id, owner.token, member.user.id), 201);
    expect(Object.keys(body).sort()).toEqual(
      ["company_id", "created_at", "expires_at", "from_user_id", "id", "status", "to_user_id", "updated_at"].sort(),
    );
    expect(body).toMatchObject({ company_id: company.id, from_user_id: owner.user.id, to_user_id: member.user.id });
    expect(body.status).toBe("pending");
    expect(body.expires_at).toMatch(ISO_UTC);
    expect(Date.parse(body.expires_at) - Date.parse(body.created_at)).toBeCloseTo(48 * HOUR, -3);
  });

  it("refuses a non-member, an unknown user, a second pending transfer, and anyone but the owner", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    await expectError(await offer(company.id, owner.token, outsider.user.id), 409, "New owner must be a member");
    await expectError(await offer(company.id, owner.token, owner.user.id), 409, "New owner must be a member");
    await expectError(await offer(company.id, owner.token, UNKNOWN_ID), 404, "User not found");
    await expectError(await offer(company.id, member.token, member.user.id), 403);
    await expectError(await offer(UNKNOWN_ID, owner.token, member.user.id), 404, "Company not found");
    await expectError(await offer(company.id, owner.token, "not-a-uuid"), 422);
    expect((await offer(company.id, owner.token, member.user.id)).status).toBe(201);
    await expectError(await offer(company.id, owner.token, member.user.id), 409, "A transfer is already pending");
  });

  it("an expired pending transfer does not block a new one", async () => {
    const { owner, member, company, transfer } = await offeredScene({ expires_at: minutesAgo(1) });
    expect((await offer(company.id, owner.token, member.user.id)).status).toBe(201);
    expect((await transferRow(t.deps.db, transfer.id))?.status).toBe("expired");
  });

  it("is served over tRPC, with the same conflicts", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const client = trpcClient(t, owner.token).companies.transfers;
    const created = await client.create.mutate({ company_id: company.id, new_owner_id: member.user.id });
    expect(created.status).toBe("pending");
    await expectTrpcError(
      client.create.mutate({ company_id: company.id, new_owner_id: outsider.user.id }),
      "CONFLICT",
      "New owner must be a member",
    );
  });
});

describe("GET /companies/ownership-transfers/me", () => {
  it("lists the pending transfers offered to the caller, not expired or settled ones", async () => {
    const { member, transfer } = await offeredScene();
    const other = await companyScene(t);
    await insertTransfer(t.deps.db, {
      companyId: other.company.id,
      fromUserId: other.owner.user.id,
      toUserId: member.user.id,
      expires_at: minutesAgo(1),
    });
    const body = await expectJson<{ transfers: TransferBody[]; total: number }>(
      await t.request("/companies/ownership-transfers/me", { token: member.token }),
      200,
    );
    expect(body).toMatchObject({ total: 1, transfers: [{ id: transfer.id, status: "pending" }] });
    const overTrpc = await trpcClient(t, member.token).companies.transfers.listMine.query({});
    expect(overTrpc.transfers.map((row) => row.id)).toEqual([transfer.id]);
  });
});

describe("POST /companies/ownership-transfers/{transfer_id}/accept", () => {
  it("swaps the roles: the target owns the company, the former owner is an admin member", async () => {
    const { owner, member, company, transfer } = await offeredScene();
    await expectNoContent(await answer(transfer.id, "accept", member.token));
    const after = await companySnapshot(t.deps.db, company.id);
    expect(after.company?.owner_id).toBe(member.user.id);
    expect(after.members.map((row) => [row.user_id, row.is_admin])).toEqual([[owner.user.id, true]]);
    expect((await transferRow(t.deps.db, transfer.id))?.status).toBe("accepted");
    // The new owner acts as one; the former owner no longer can.
    expect((await t.request(`/companies/${company.id}`, { method: "PUT", token: member.token, json: {} })).status).toBe(
      200,
    );
    await expectError(await t.request(`/companies/${company.id}`, { method: "DELETE", token: owner.token }), 403);
  });

  it("is 404 for anyone but the target and 409 once settled, expired, or when the target left", async () => {
    const { owner, outsider, transfer } = await offeredScene();
    await expectError(await answer(transfer.id, "accept", outsider.token), 404, "Transfer not found");
    await expectError(await answer(transfer.id, "accept", owner.token), 404, "Transfer not found");
    await expectError(await answer(UNKNOWN_ID, "accept", outsider.token), 404, "Transfer not found");
    const expired = await offeredScene({ expires_at: minutesAgo(1) });
    await expectError(
      await answer(expired.transfer.id, "accept", expired.member.token),
      409,
      "Transfer is not pending",
    );
    const declined = await offeredScene({ status: "declined" });
    await expectError(
      await answer(declined.transfer.id, "accept", declined.member.token),
      409,
      "Transfer is not pending",
    );
  });

  it("a target who leaves cancels the pending transfer in the same step", async () => {
    const { member, company, transfer } = await offeredScene();
    await expectNoContent(
      await t.request(`/companies/${company.id}/members/me`, { method: "DELETE", token: member.token }),
    );
    expect((await transferRow(t.deps.db, transfer.id))?.status).toBe("cancelled");
    await expectError(await answer(transfer.id, "accept", member.token), 409, "Transfer is not pending");
  });

  it("is served over tRPC", async () => {
    const { member, outsider, company, transfer } = await offeredScene();
    await expectTrpcError(
      trpcClient(t, outsider.token).companies.transfers.accept.mutate({ transfer_id: transfer.id }),
      "NOT_FOUND",
      "Transfer not found",
    );
    await trpcClient(t, member.token).companies.transfers.accept.mutate({ transfer_id: transfer.id });
    expect(await ownerOf(t.deps.db, company.id)).toBe(member.user.id);
  });
});

describe("decline and cancel", () => {
  it("the target declines: 204, the owner stays; again: 409", async () => {
    const { owner, member, company, transfer } = await offeredScene();
    await expectNoContent(await answer(transfer.id, "decline", member.token));
    expect(await ownerOf(t.deps.db, company.id)).toBe(owner.user.id);
    expect((await transferRow(t.deps.db, transfer.id))?.status).toBe("declined");
    await expectError(await answer(transfer.id, "decline", member.token), 409, "Transfer is not pending");
    const next = await offeredScene();
    await trpcClient(t, next.member.token).companies.transfers.decline.mutate({ transfer_id: next.transfer.id });
    expect((await transferRow(t.deps.db, next.transfer.id))?.status).toBe("declined");
  });

  it("the owner cancels: 204; a member cannot (403); unknown or another company's: 404; settled: 409", async () => {
    const { owner, member, company, transfer } = await offeredScene();
    await expectError(await cancel(company.id, transfer.id, member.token), 403);
    const other = await offeredScene();
    await expectError(await cancel(company.id, other.transfer.id, owner.token), 404, "Transfer not found");
    await expectError(await cancel(company.id, UNKNOWN_ID, owner.token), 404, "Transfer not found");
    await expectNoContent(await cancel(company.id, transfer.id, owner.token));
    expect((await transferRow(t.deps.db, transfer.id))?.status).toBe("cancelled");
    await expectError(await cancel(company.id, transfer.id, owner.token), 409, "Transfer is not pending");
    await expectError(await answer(transfer.id, "accept", member.token), 409, "Transfer is not pending");
    const next = await offeredScene();
    const client = trpcClient(t, next.owner.token).companies.transfers;
    await client.cancel.mutate({ company_id: next.company.id, transfer_id: next.transfer.id });
    await expectTrpcError(
      client.cancel.mutate({ company_id: next.company.id, transfer_id: next.transfer.id }),
      "CONFLICT",
      "Transfer is not pending",
    );
  });

  it("a member removed by the owner has their pending transfer cancelled", async () => {
    const { owner, member, company, transfer } = await offeredScene();
    const removal = `/companies/${company.id}/members/${member.user.id}`;
    await expectNoContent(await t.request(removal, { method: "DELETE", token: owner.token }));
    expect((await transferRow(t.deps.db, transfer.id))?.status).toBe("cancelled");
  });
});
