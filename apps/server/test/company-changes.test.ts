import type { CompanyDetail } from "@internship/api";
import {
  companySnapshot,
  deleteUserRow,
  insertCompany,
  insertInvitation,
  insertRequest,
  rowsReferringTo,
} from "@internship/api/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyListItem, companyScene, inviteOutsider, minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, expectNoContent, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("PUT /companies/{company_id}", () => {
  const put = (id: string, token: string | undefined, json: unknown) =>
    t.request(`/companies/${id}`, { method: "PUT", json, ...(token !== undefined && { token }) });

  it("updates the given fields for the owner and moves updated_at", async () => {
    const { owner, company } = await companyScene(t, { description: "old", created_at: minutesAgo(1) });
    const body = await expectJson<CompanyDetail>(
      await put(company.id, owner.token, { name: " New name ", is_visible: false }),
      200,
    );
    expect(body).toMatchObject({ name: "New name", description: "old", is_visible: false, owner_id: owner.user.id });
    expect(Date.parse(body.updated_at)).toBeGreaterThan(company.updated_at.getTime());
    expect(body.created_at).toBe(company.created_at.toISOString());
  });

  it("clears the description with null; null on name or is_visible means unchanged", async () => {
    const { owner, company } = await companyScene(t, { name: "Keep", description: "drop me" });
    const body = await expectJson<CompanyDetail>(
      await put(company.id, owner.token, { name: null, description: null, is_visible: null }),
      200,
    );
    expect(body).toMatchObject({ name: "Keep", description: null, is_visible: true });
  });

  it("treats an empty body, and values equal to the current ones, as a no-op: updated_at unchanged", async () => {
    const { owner, company } = await companyScene(t, { name: "Same", description: "same" });
    const unchanged = { ...companyListItem(company), created_at: company.created_at.toISOString() };
    for (const json of [{}, { name: "Same", description: "same", is_visible: true }, { name: null }]) {
      const body = await expectJson<CompanyDetail>(await put(company.id, owner.token, json), 200);
      expect(body).toEqual({ ...unchanged, updated_at: company.updated_at.toISOString() });
    }
  });

  it("ignores owner_id, id and timestamps in the body", async () => {
    const { owner, outsider, company } = await companyScene(t);
    const body = await expectJson<CompanyDetail>(
      await put(company.id, owner.token, { owner_id: outsider.user.id, id: UNKNOWN_ID, created_at: "2000-01-01" }),
      200,
    );
    expect(body).toMatchObject({
      id: company.id,
      owner_id: owner.user.id,
      created_at: company.created_at.toISOString(),
    });
  });

  it.each([
    ["an empty name", { name: "" }],
    ["a name over 255 characters", { name: "x".repeat(256) }],
    ["a description over 5000 characters", { description: "d".repeat(5001) }],
    ["is_visible as a string", { is_visible: "no" }],
    ["is_visible as a number", { is_visible: 0 }],
  ])("answers 422 for %s, before the company or the owner is checked", async (_case, json) => {
    const { outsider, company } = await companyScene(t);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(await put(company.id, outsider.token, json), 422, "Validation error");
    await expectError(await put(UNKNOWN_ID, outsider.token, json), 422, "Validation error");
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 404 for an unknown company", async () => {
    const { token } = await createUserWithToken(t);
    await expectError(await put(UNKNOWN_ID, token, { name: "x" }), 404, "Company not found");
  });

  it("answers 403 to anyone but the owner, members included, hidden company or not, and changes nothing", async () => {
    for (const is_visible of [true, false]) {
      const { member, outsider, company } = await companyScene(t, { is_visible });
      const before = await companySnapshot(t.deps.db, company.id);
      for (const token of [member.token, outsider.token]) {
        await expectError(
          await put(company.id, token, { name: "x" }),
          403,
          "Only company owner can update the company",
        );
      }
      expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
    }
  });
});

describe("DELETE /companies/{company_id}", () => {
  it("deletes the company with its members, invitations and join requests (204)", async () => {
    const { owner, outsider, company } = await companyScene(t);
    await inviteOutsider(t, { owner, outsider, company });
    await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    await expectNoContent(await t.request(`/companies/${company.id}`, { method: "DELETE", token: owner.token }));
    expect(await companySnapshot(t.deps.db, company.id)).toEqual({
      company: undefined,
      members: [],
      invitations: [],
      requests: [],
    });
    await expectError(await t.request(`/companies/${company.id}`), 404, "Company not found");
  });

  it("answers 401 without a token, 403 to a member or an outsider, and changes nothing", async () => {
    const { member, outsider, company } = await companyScene(t);
    const before = await companySnapshot(t.deps.db, company.id);
    await expectError(
      await t.request(`/companies/${company.id}`, { method: "DELETE" }),
      401,
      "Could not validate credentials",
    );
    for (const token of [member.token, outsider.token]) {
      await expectError(
        await t.request(`/companies/${company.id}`, { method: "DELETE", token }),
        403,
        "Only company owner can delete the company",
      );
    }
    expect(await companySnapshot(t.deps.db, company.id)).toEqual(before);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    const { token } = await createUserWithToken(t);
    await expectError(
      await t.request(`/companies/${UNKNOWN_ID}`, { method: "DELETE", token }),
      404,
      "Company not found",
    );
    await expectError(await t.request("/companies/nope", { method: "DELETE", token }), 404, "Company not found");
  });
});

describe("deleting a user (cascade)", () => {
  it("deletes the companies they own with everything hanging on them", async () => {
    const { owner, member, outsider, company } = await companyScene(t);
    await inviteOutsider(t, { owner, outsider, company });
    await insertRequest(t.deps.db, { companyId: company.id, userId: outsider.user.id });
    await deleteUserRow(t.deps.db, owner.user.id);
    expect(await companySnapshot(t.deps.db, company.id)).toEqual({
      company: undefined,
      members: [],
      invitations: [],
      requests: [],
    });
    expect(await rowsReferringTo(t.deps.db, member.user.id)).toEqual({
      owned: [],
      memberships: [],
      invitations: [],
      requests: [],
    });
  });

  it("deletes their memberships, the invitations they received and their join requests; the company stays", async () => {
    const { owner, member, company } = await companyScene(t);
    const other = await insertCompany(t.deps.db, owner.user.id);
    await insertInvitation(t.deps.db, { companyId: other.id, userId: member.user.id, invitedById: owner.user.id });
    await insertRequest(t.deps.db, { companyId: other.id, userId: member.user.id });
    await deleteUserRow(t.deps.db, member.user.id);
    expect(await rowsReferringTo(t.deps.db, member.user.id)).toEqual({
      owned: [],
      memberships: [],
      invitations: [],
      requests: [],
    });
    expect((await companySnapshot(t.deps.db, company.id)).company?.id).toBe(company.id);
  });
});

describe("companies over tRPC", () => {
  it("creates, lists, reads, updates and deletes", async () => {
    const { user, token } = await createUserWithToken(t);
    const client = trpcClient(t, token);
    const created = await client.companies.create.mutate({ name: "Over tRPC", description: null });
    expect(created).toMatchObject({ name: "Over tRPC", description: null, is_visible: true, owner_id: user.id });

    const list = await trpcClient(t).companies.list.query({ limit: 100 });
    expect(list.companies.map((company) => company.id)).toContain(created.id);

    const hidden = await client.companies.update.mutate({ company_id: created.id, is_visible: false });
    expect(hidden.is_visible).toBe(false);
    expect(await client.companies.byId.query({ company_id: created.id })).toEqual(hidden);
    await expect(trpcClient(t).companies.byId.query({ company_id: created.id })).rejects.toMatchObject({
      message: "Company not found",
      data: { code: "NOT_FOUND" },
    });

    expect(await client.companies.delete.mutate({ company_id: created.id })).toBeUndefined();
    const error = await trpcClient(t, token)
      .companies.delete.mutate({ company_id: created.id })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error).toMatchObject({ message: "Company not found", data: { code: "NOT_FOUND" } });
  });

  it("answers FORBIDDEN to a non-owner and BAD_REQUEST for an invalid input", async () => {
    const { outsider, company } = await companyScene(t);
    const client = trpcClient(t, outsider.token);
    await expect(client.companies.update.mutate({ company_id: company.id, name: "x" })).rejects.toMatchObject({
      message: "Only company owner can update the company",
      data: { code: "FORBIDDEN" },
    });
    await expect(client.companies.create.mutate({ name: "" })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" } });
  });
});

describe("/openapi.json", () => {
  type Operation = {
    operationId: string;
    summary?: string;
    tags?: string[];
    security?: Record<string, string[]>[];
    responses: Record<string, unknown>;
  };
  const operations: [
    method: string,
    path: string,
    success: number,
    errors: number[],
    auth: "bearer" | "optional" | "none",
  ][] = [
    ["post", "/companies/", 201, [401, 403, 422], "bearer"],
    ["get", "/companies/", 200, [422], "none"],
    ["get", "/companies/{company_id}", 200, [404], "optional"],
    ["put", "/companies/{company_id}", 200, [401, 403, 404, 422], "bearer"],
    ["delete", "/companies/{company_id}", 204, [401, 403, 404], "bearer"],
    ["post", "/companies/{company_id}/invitations", 201, [401, 403, 404, 409, 422], "bearer"],
    ["get", "/companies/{company_id}/invitations", 200, [401, 403, 404, 422], "bearer"],
    ["delete", "/companies/{company_id}/invitations/{invitation_id}", 204, [401, 403, 404, 409], "bearer"],
    ["get", "/companies/invitations/me", 200, [401, 403, 422], "bearer"],
    ["post", "/companies/invitations/{invitation_id}/accept", 204, [401, 403, 404, 409], "bearer"],
    ["post", "/companies/invitations/{invitation_id}/decline", 204, [401, 403, 404, 409], "bearer"],
    ["post", "/companies/{company_id}/requests", 201, [401, 403, 404, 409], "bearer"],
    ["delete", "/companies/{company_id}/requests/{request_id}", 204, [401, 403, 404, 409], "bearer"],
    ["get", "/companies/requests/me", 200, [401, 403, 422], "bearer"],
    ["get", "/companies/{company_id}/requests", 200, [401, 403, 404, 422], "bearer"],
    ["post", "/companies/{company_id}/requests/{request_id}/accept", 204, [401, 403, 404, 409], "bearer"],
    ["post", "/companies/{company_id}/requests/{request_id}/decline", 204, [401, 403, 404, 409], "bearer"],
    ["get", "/companies/{company_id}/members", 200, [404, 422], "optional"],
    ["delete", "/companies/{company_id}/members/me", 204, [401, 403, 404, 409], "bearer"],
    ["delete", "/companies/{company_id}/members/{user_id}", 204, [401, 403, 404, 409], "bearer"],
  ];

  it.each(operations)("describes %s %s", async (method, path, success, errors, auth) => {
    const document = await expectJson<{ paths: Record<string, Record<string, Operation>> }>(
      await t.request("/openapi.json"),
      200,
    );
    const operation = document.paths[path]?.[method];
    expect(operation).toMatchObject({ operationId: expect.any(String), summary: expect.any(String) });
    expect(operation?.tags?.length).toBe(1);
    const statuses = Object.keys(operation?.responses ?? {}).map(Number);
    expect(statuses).toEqual(expect.arrayContaining([success, ...errors]));
    expect(statuses).not.toContain(success === 200 ? 201 : 200);
    const security = { bearer: [{ bearer: [] }], optional: [{}, { bearer: [] }], none: [] }[auth];
    expect(operation?.security).toEqual(security);
  });
});
