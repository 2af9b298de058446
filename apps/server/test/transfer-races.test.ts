import { companySnapshot, insertTransfer, transferRow } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene } from "./company-fixtures.js";
import { createTestApp, type TestApp } from "./helpers.js";

// Real concurrency: on PostgreSQL the requests below run in parallel transactions; PGlite serialises them.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ROUNDS = 5;
const statusesOf = (responses: Response[]) => responses.map((response) => response.status).sort();

async function offeredScene() {
  const scene = await companyScene(t);
  const transfer = await insertTransfer(t.deps.db, {
    companyId: scene.company.id,
    fromUserId: scene.owner.user.id,
    toUserId: scene.member.user.id,
  });
  return { ...scene, transfer };
}

const accept = (id: string, token: string) =>
  t.request(`/companies/ownership-transfers/${id}/accept`, { method: "POST", token });

/** The company either is gone, or has exactly one owner who holds no member row, and the state matches. */
async function ownership(companyId: string) {
  const { company, members } = await companySnapshot(t.deps.db, companyId);
  if (!company) return { owner: undefined, members: [] as [string, boolean][] };
  expect(members.some((row) => row.user_id === company.owner_id)).toBe(false);
  return { owner: company.owner_id, members: members.map((row): [string, boolean] => [row.user_id, row.is_admin]) };
}

describe("concurrent transfer answers", () => {
  it("20 accepts of one transfer: one 204, nineteen 409, one owner", async () => {
    const { owner, member, company, transfer } = await offeredScene();
    const responses = await Promise.all(Array.from({ length: 20 }, () => accept(transfer.id, member.token)));
    expect(statusesOf(responses)).toEqual([204, ...Array(19).fill(409)]);
    expect(await ownership(company.id)).toEqual({ owner: member.user.id, members: [[owner.user.id, true]] });
  });

  it("an accept racing a cancel ends in exactly one of the two states", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, member, company, transfer } = await offeredScene();
      const [accepted, cancelled] = await Promise.all([
        accept(transfer.id, member.token),
        t.request(`/companies/${company.id}/ownership-transfers/${transfer.id}`, {
          method: "DELETE",
          token: owner.token,
        }),
      ]);
      const status = (await transferRow(t.deps.db, transfer.id))?.status;
      if (accepted.status === 204) {
        // The cancel lost: the transfer was settled (409), or its caller was no longer the owner (403).
        expect([403, 409]).toContain(cancelled.status);
        expect({ status, ...(await ownership(company.id)) }).toEqual({
          status: "accepted",
          owner: member.user.id,
          members: [[owner.user.id, true]],
        });
      } else {
        expect([accepted.status, cancelled.status]).toEqual([409, 204]);
        expect({ status, ...(await ownership(company.id)) }).toEqual({
          status: "cancelled",
          owner: owner.user.id,
          members: [[member.user.id, false]],
        });
      }
    }
  });

  it("an accept racing the owner deleting the company never leaves the company without an owner", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, member, company, transfer } = await offeredScene();
      const [accepted, deleted] = await Promise.all([
        accept(transfer.id, member.token),
        t.request(`/companies/${company.id}`, { method: "DELETE", token: owner.token }),
      ]);
      const after = await ownership(company.id);
      if (deleted.status === 204) {
        expect([204, 404, 409]).toContain(accepted.status);
        expect(after).toEqual({ owner: undefined, members: [] });
      } else {
        // The accept won: the former owner may no longer delete it.
        expect({ accepted: accepted.status, deleted: deleted.status }).toEqual({ accepted: 204, deleted: 403 });
        expect(after).toEqual({ owner: member.user.id, members: [[owner.user.id, true]] });
      }
    }
  });

  it("an accept racing the target leaving: either the target owns it, or the transfer is cancelled", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { owner, member, company, transfer } = await offeredScene();
      const [accepted, left] = await Promise.all([
        accept(transfer.id, member.token),
        t.request(`/companies/${company.id}/members/me`, { method: "DELETE", token: member.token }),
      ]);
      const status = (await transferRow(t.deps.db, transfer.id))?.status;
      const after = await ownership(company.id);
      if (accepted.status === 204) {
        // The new owner cannot leave (409), or was no longer a member row when the leave ran (404).
        expect([404, 409]).toContain(left.status);
        expect({ status, ...after }).toEqual({
          status: "accepted",
          owner: member.user.id,
          members: [[owner.user.id, true]],
        });
      } else {
        expect({ accepted: accepted.status, left: left.status, status, ...after }).toEqual({
          accepted: 409,
          left: 204,
          status: "cancelled",
          owner: owner.user.id,
          members: [],
        });
      }
    }
  });
});
