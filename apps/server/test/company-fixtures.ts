import { insertCompany, insertInvitation, insertMember } from "@internship/api/testing";
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

/** A time in the past: rows given distinct creation times list in a known order (clocks may tick coarsely). */
export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

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
