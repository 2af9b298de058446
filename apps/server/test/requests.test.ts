import type { JoinRequest, RequestList } from "@internship/api";
import { companySnapshot, insertCompany, insertRequest, requestRow } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyScene, minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, ISO_UTC, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const withToken = (token: string | undefined) => (token === undefined ? {} : { token });

const askToJoin = (companyId: string, token?: string, init: RequestInit = {}) =>
  t.request(`/companies/${companyId}/requests`, { method: "POST", ...init, ...withToken(token) });

describe("POST /companies/{company_id}/requests", () => {
  it("answers 201 with a pending request of the caller", async () => {
    const { outsider, company } = await companyScene(t);
    const body = await expectJson<JoinRequest>(await askToJoin(company.id, outsider.token), 201);
    expect(body).toEqual({
      id: expect.any(String),
      company_id: company.id,
      user_id: outsider.user.id,
      status: "pending",
      created_at: expect.stringMatching(ISO_UTC),
      updated_at: body.created_at,
    });
  });

  it("takes no body: a JSON body naming another user or status, or a text body, is ignored", async () => {
    const { member, outsider, company } = await companyScene(t);
    const body = await expectJson<JoinRequest>(
      await askToJoin(company.id, outsider.token, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user_id: member.user.id, status: "accepted" }),
      }),
      201,
    );
    expect(body).toMatchObject({ user_id: outsider.user.id, status: "pending" });
    const other = await createUserWithToken(t);
    await expectJson(
      await askToJoin(company.id, other.token, { headers: { "content-type": "text/plain" }, body: "hello" }),
      201,
    );
  });

  it("answers 404 for an unknown, malformed or hidden company, and stores nothing", async () => {
    const { outsider, company } = await companyScene(t, { is_visible: false });
    await expectError(await askToJoin(UNKNOWN_ID, outsider.token), 404, "Company not found");
    await expectError(await askToJoin("nope", outsider.token), 404, "Company not found");
    await expectError(await askToJoin(company.id, outsider.token), 404, "Company not found");
    expect((await companySnapshot(t.deps.db, company.id)).requests).toEqual([]);
  });

  it("answers 409 to the owner, hidden company or not", async () => {
    for (const is_visible of [true, false]) {
      const { owner, company } = await companyScene(t, { is_visible });
      await expectError(
        await askToJoin(company.id, owner.token),
        409,
        "Company owner cannot request to join own company",
      );
    }
  });

  it("answers 409 to a member, hidden company or not", async () => {
    for (const is_visible of [true, false]) {
      const { member, company } = await companyScene(t, { is_visible });
      await expectError(await askToJoin(company.id, member.token), 409, "User is already a member");
    }
  });

  it("answers 409 when a pending request exists, and keeps the one", async () => {
    const { outsider, company } = await companyScene(t);
    await expectJson(await askToJoin(company.id, outsider.token), 201);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await askToJoin(company.id, outsider.token), 409, "Request already sent");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it.each(["declined", "cancelled"] as const)("lets the user ask again once the last request is %s", async (status) => {
    const { outsider, company } = await companyScene(t);
    await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id, status });
    await expectJson(await askToJoin(company.id, outsider.token), 201);
  });
});

describe("DELETE /companies/{company_id}/requests/{request_id}", () => {
  const cancel = (companyId: string, requestId: string, token?: string) =>
    t.request(`/companies/${companyId}/requests/${requestId}`, { method: "DELETE", ...withToken(token) });

  it("lets the requester cancel their pending request (204)", async () => {
    const { outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, {
      companyId: company.id,
      userId: outsider.user.id,
      created_at: minutesAgo(1),
    });
    await expectNoContent(await cancel(company.id, row.id, outsider.token));
    const after = await requestRow(t.deps.db, row.id);
    expect(after?.status).toBe("cancelled");
    expect(after?.updated_at.getTime()).toBeGreaterThan(row.updated_at.getTime());
  });

  it("answers 404 for someone else's request (the owner's too), another company's or an unknown one", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    const other = await insertCompany(t.deps.db, owner.user.id);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    const before = await companySnapshot(t.deps.db, company.id);
    for (const token of [owner.token, member.token]) {
      await expectError(await cancel(company.id, row.id, token), 404, "Request not found");
    }
    await expectError(await cancel(other.id, row.id, outsider.token), 404, "Request not found");
    await expectError(await cancel(UNKNOWN_ID, row.id, outsider.token), 404, "Request not found");
    await expectError(await cancel(company.id, UNKNOWN_ID, outsider.token), 404, "Request not found");
    await expectError(await cancel(company.id, "nope", outsider.token), 404, "Request not found");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("lets the requester cancel a request to a company hidden since", async () => {
    const { outsider, company } = await companyScene(t, { is_visible: false });
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    await expectNoContent(await cancel(company.id, row.id, outsider.token));
  });

  it.each(["accepted", "declined", "cancelled"] as const)("answers 409 for a %s request", async (status) => {
    const { outsider, company } = await companyScene(t);
    const row = await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id, status });
    await expectError(await cancel(company.id, row.id, outsider.token), 409, "Can only cancel pending requests");
    expect(await requestRow(t.deps.db, row.id)).toEqual(row);
  });
});

describe("GET /companies/requests/me", () => {
  it("lists all the caller's requests by default, newest first; status filters; others' never", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const second = await insertCompany(t.deps.db, owner.user.id);
    const declined = await insertRequest(t.deps.db, {
      companyId: company.id,
      userId: outsider.user.id,
      status: "declined",
      created_at: minutesAgo(1),
    });
    const pending = await insertRequest(t.deps.db, { companyId: second.id, userId: outsider.user.id });
    const someoneElse = await createUserWithToken(t);
    await insertRequest(t.deps.db, { companyId: company.id, userId: someoneElse.user.id });

    const all = await expectJson<RequestList>(
      await t.request("/companies/requests/me", { token: outsider.token }),
      200,
    );
    expect(all.requests.map((request) => request.id)).toEqual([pending.id, declined.id]);
    expect(all.total).toBe(2);
    const onlyPending = await expectJson<RequestList>(
      await t.request("/companies/requests/me?status=pending&limit=1", { token: outsider.token }),
      200,
    );
    expect(onlyPending).toEqual({
      requests: [expect.objectContaining({ id: pending.id })],
      total: 1,
      next_cursor: null,
    });
  });

  it("answers 422 for a bad status", async () => {
    const { token } = await createUserWithToken(t);
    await expectError(await t.request("/companies/requests/me?status=", { token }), 422, "Validation error");
  });
});

describe("GET /companies/{company_id}/requests", () => {
  const list = (companyId: string, token?: string, query = "") =>
    t.request(`/companies/${companyId}/requests${query}`, withToken(token));

  it("lists the company's pending requests by default; status=all lists every one", async () => {
    const { owner, company } = await companyScene(t);
    const [a, b] = await Promise.all([createUserWithToken(t), createUserWithToken(t)]);
    const declined = await insertRequest(t.deps.db, {
      companyId: company.id,
      userId: a.user.id,
      status: "declined",
      created_at: minutesAgo(1),
    });
    const pending = await insertRequest(t.deps.db, { companyId: company.id, userId: b.user.id });
    expect(await expectJson<RequestList>(await list(company.id, owner.token), 200)).toEqual({
      requests: [expect.objectContaining({ id: pending.id, status: "pending" })],
      total: 1,
      next_cursor: null,
    });
    const all = await expectJson<RequestList>(await list(company.id, owner.token, "?status=all"), 200);
    expect(all.requests.map((request) => request.id)).toEqual([pending.id, declined.id]);
  });

  it("answers 401, 422, 404 and 403 in that order; the requester is not the owner", async () => {
    const { member, outsider, company } = await companyScene(t);
    await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    await expectError(await list(company.id), 401, "Could not validate credentials");
    await expectError(await list(company.id, member.token, "?status=nope"), 422, "Validation error");
    await expectError(await list(UNKNOWN_ID, member.token), 404, "Company not found");
    for (const token of [member.token, outsider.token]) {
      await expectError(await list(company.id, token), 403, "Only company owner can perform this action");
    }
  });
});
