import { insertCompany, insertInvitation, insertMember } from "@internship/api/testing";
import { expect } from "vitest";
import { createUserWithToken, type TestApp } from "./helpers.js";

export type Caller = Awaited<ReturnType<typeof createUserWithToken>>;

/** A company with its owner, one member and an outsider: each test makes its own. */
export async function companyScene(t: TestApp, company: Parameters<typeof insertCompany>[2] = {}) {
  const [owner, member, outsider] = await Promise.all([
    createUserWithToken(t),
    createUserWithToken(t),
    createUserWithToken(t),
  ]);
  const row = await insertCompany(t.deps.db, owner.user.id, company);
  await insertMember(t.deps.db, row.id, member.user.id);
  return { owner, member, outsider, company: row };
}

type Scene = Awaited<ReturnType<typeof companyScene>>;

/** An invitation of the scene's outsider by its owner, pending unless a status is given. */
export function inviteOutsider(
  t: TestApp,
  { owner, outsider, company }: Pick<Scene, "owner" | "outsider" | "company">,
  values: Omit<Parameters<typeof insertInvitation>[1], "companyId" | "userId" | "invitedById"> = {},
) {
  return insertInvitation(t.deps.db, {
    ...values,
    companyId: company.id,
    userId: outsider.user.id,
    invitedById: owner.user.id,
  });
}

/** Asserts an error answer; on failure the message shows the whole answer. */
export async function expectError(response: Response, status: number, detail: string): Promise<void> {
  const body = (await response.json()) as { detail?: unknown; code?: unknown };
  expect({ status: response.status, body }).toMatchObject({ status, body: { detail, code: expect.any(String) } });
}

/** Asserts a 204 with no body. */
export async function expectNoContent(response: Response): Promise<void> {
  expect({ status: response.status, body: await response.text() }).toEqual({ status: 204, body: "" });
}

/** Asserts a success status and returns the parsed body. */
export async function expectJson<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toEqual({ status, body: expect.any(String) });
  return JSON.parse(text) as T;
}

/** A time in the past: rows given distinct creation times list in a known order (clocks may tick coarsely). */
export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** A company as lists show it: the detail without its timestamps. */
export function companyListItem(row: {
  id: string;
  name: string;
  description: string | null;
  is_visible: boolean;
  owner_id: string;
}) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    is_visible: row.is_visible,
    owner_id: row.owner_id,
  };
}
