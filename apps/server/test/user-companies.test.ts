import { insertCompany, insertMember } from "@internship/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minutesAgo } from "./company-fixtures.js";
import { expectError, expectJson, UNKNOWN_ID } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type CompanyList = { companies: { id: string }[]; total: number; next_cursor: string | null };

const companiesOf = (userId: string, token?: string, query = "") =>
  t.request(`/users/${userId}/companies${query}`, token === undefined ? {} : { token });

/** A user who owns two companies (one hidden) and belongs to two others (one hidden), plus unrelated companies. */
async function userScene() {
  const [user, stranger, other] = await Promise.all([
    createUserWithToken(t),
    createUserWithToken(t),
    createUserWithToken(t),
  ]);
  const company = (ownerId: string, minutes: number, is_visible = true) =>
    insertCompany(t.deps.db, ownerId, { is_visible, created_at: minutesAgo(minutes) });
  const owned = await company(user.user.id, 50);
  const ownedHidden = await company(user.user.id, 40, false);
  const joined = await company(other.user.id, 30);
  const joinedHidden = await company(other.user.id, 20, false);
  await company(other.user.id, 10);
  await insertMember(t.deps.db, joined.id, user.user.id, { is_admin: true });
  await insertMember(t.deps.db, joinedHidden.id, user.user.id);
  // A co-member of the hidden company, who still must not see it in this user's list.
  await insertMember(t.deps.db, joinedHidden.id, stranger.user.id);
  return { user, stranger, other, owned, ownedHidden, joined, joinedHidden };
}

describe("GET /users/{user_id}/companies", () => {
  it("the user sees every company they own or belong to, hidden ones included, newest first, each once", async () => {
    const scene = await userScene();
    const body = await expectJson<CompanyList>(await companiesOf(scene.user.user.id, scene.user.token), 200);
    expect(body).toMatchObject({ total: 4, next_cursor: null });
    expect(body.companies.map((company) => company.id)).toEqual(
      [scene.joinedHidden, scene.joined, scene.ownedHidden, scene.owned].map((company) => company.id),
    );
    expect(body.companies[1]).toEqual({
      id: scene.joined.id,
      name: scene.joined.name,
      description: null,
      is_visible: true,
      owner_id: scene.other.user.id,
    });
  });

  it("anyone else (anonymous, a co-member, a superuser, a bad token) sees only the visible ones", async () => {
    const scene = await userScene();
    const superuser = await createUserWithToken(t, { is_superuser: true });
    const visible = [scene.joined.id, scene.owned.id];
    for (const token of [undefined, scene.stranger.token, superuser.token, "garbage"]) {
      const body = await expectJson<CompanyList>(await companiesOf(scene.user.user.id, token), 200);
      expect({ ids: body.companies.map((company) => company.id), total: body.total }).toEqual({
        ids: visible,
        total: 2,
      });
    }
  });

  it("pages with skip/limit and with the cursor; the total counts the whole set", async () => {
    const scene = await userScene();
    const all = await expectJson<CompanyList>(await companiesOf(scene.user.user.id, scene.user.token), 200);
    const ids = all.companies.map((company) => company.id);
    const skipped = await expectJson<CompanyList>(
      await companiesOf(scene.user.user.id, scene.user.token, "?skip=1&limit=2"),
      200,
    );
    expect({ ids: skipped.companies.map((c) => c.id), total: skipped.total }).toEqual({
      ids: ids.slice(1, 3),
      total: 4,
    });
    const seen: string[] = [];
    let query = "?limit=3";
    for (;;) {
      const page = await expectJson<CompanyList>(await companiesOf(scene.user.user.id, scene.user.token, query), 200);
      seen.push(...page.companies.map((company) => company.id));
      if (page.next_cursor === null) break;
      query = `?limit=3&cursor=${page.next_cursor}`;
    }
    expect(seen).toEqual(ids);
  });

  it("a cursor given to the user is refused to another viewer (its filter differs): 422 'Invalid cursor'", async () => {
    const scene = await userScene();
    const page = await expectJson<CompanyList>(
      await companiesOf(scene.user.user.id, scene.user.token, "?limit=1"),
      200,
    );
    const response = await companiesOf(scene.user.user.id, undefined, `?cursor=${page.next_cursor}`);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ detail: "Invalid cursor", issues: [{ path: ["cursor"] }] });
  });

  it("a user with no company gets an empty list", async () => {
    const { user, token } = await createUserWithToken(t);
    expect(await expectJson(await companiesOf(user.id, token), 200)).toEqual({
      companies: [],
      total: 0,
      next_cursor: null,
    });
  });

  it("an unknown or malformed user id is 404 'User not found'; bad paging is 422 naming the field", async () => {
    await expectError(await companiesOf(UNKNOWN_ID), 404, "User not found");
    await expectError(await companiesOf("not-a-uuid"), 404, "User not found");
    const { user } = await createUserWithToken(t);
    for (const [query, field] of [
      ["?limit=101", "limit"],
      ["?skip=-1", "skip"],
      ["?limit=1.5", "limit"],
    ]) {
      const response = await companiesOf(user.id, undefined, query);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ issues: [{ path: [field] }] });
    }
  });

  it("works over tRPC as users.companies", async () => {
    const scene = await userScene();
    const mine = await trpcClient(t, scene.user.token).users.companies.query({ user_id: scene.user.user.id });
    expect(mine.total).toBe(4);
    const theirs = await trpcClient(t).users.companies.query({ user_id: scene.user.user.id, limit: 1 });
    expect({ count: theirs.companies.length, total: theirs.total }).toEqual({ count: 1, total: 2 });
  });
});
