import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectJson } from "./expect.js";
import { createTestApp, createUserWithToken, type TestApp, trpcClient } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Detail = Record<string, unknown> & { id: string; phone: string | null };

const update = (token: string, json: unknown) => t.request("/users/me", { method: "PUT", token, json });
const me = async (token: string) => expectJson<Detail>(await t.request("/users/me", { token }), 200);

const PROFILE = {
  first_name: "Jane",
  last_name: "Doe",
  bio: "Writes quizzes",
  avatar_url: "http://example.com/jane.png",
  phone: "+380123456789",
};

describe("the profile fields of PUT /users/me", () => {
  it("accepts values at their limits (in characters, not UTF-16 units) and an http:// avatar", async () => {
    const { token } = await createUserWithToken(t);
    const body = {
      first_name: "😀".repeat(100),
      last_name: "l".repeat(100),
      bio: "b".repeat(5000),
      avatar_url: `https://example.com/${"a".repeat(480)}`,
      phone: "1".repeat(20),
    };
    expect(await expectJson(await update(token, body), 200)).toMatchObject(body);
    expect(await expectJson(await update(token, { avatar_url: PROFILE.avatar_url }), 200)).toMatchObject({
      avatar_url: PROFILE.avatar_url,
    });
  });

  it.each([
    ["first_name", "f".repeat(101)],
    ["last_name", "😀".repeat(101)],
    ["bio", "b".repeat(5001)],
    ["avatar_url", "javascript:alert(1)"],
    ["avatar_url", "https://"],
    ["avatar_url", "mailto:jane@example.com"],
    ["phone", "1".repeat(21)],
    ["phone", 380123456789],
    ["bio", "nul\u0000byte"],
  ])("a bad %s (%j) is 422 naming the field, and nothing changes", async (field, value) => {
    const { token } = await createUserWithToken(t);
    await update(token, PROFILE);
    const before = await me(token);
    const response = await update(token, { first_name: "Other", [field]: value });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { issues: { path: unknown[] }[] };
    expect(body.issues.map((issue) => issue.path)).toEqual([[field]]);
    expect(await me(token)).toEqual(before);
  });

  it("every field clears with null and with an empty string", async () => {
    const { token } = await createUserWithToken(t);
    await update(token, PROFILE);
    const cleared = await expectJson(
      await update(token, { first_name: null, last_name: "", bio: null, avatar_url: "", phone: null }),
      200,
    );
    expect(cleared).toMatchObject({ first_name: null, last_name: null, bio: null, avatar_url: null, phone: null });
  });
});

describe("who sees the profile", () => {
  it("another user reads every profile field but the phone (null); the user and a superuser see the phone", async () => {
    const owner = await createUserWithToken(t);
    const other = await createUserWithToken(t);
    const superuser = await createUserWithToken(t, { is_superuser: true });
    await update(owner.token, PROFILE);
    const read = (token: string) =>
      t.request(`/users/${owner.user.id}`, { token }).then((response) => expectJson<Detail>(response, 200));

    expect(await read(other.token)).toMatchObject({ ...PROFILE, phone: null });
    expect(await read(owner.token)).toMatchObject(PROFILE);
    expect(await read(superuser.token)).toMatchObject(PROFILE);
    expect(await trpcClient(t, other.token).users.byId.query({ user_id: owner.user.id })).toMatchObject({
      phone: null,
    });
  });

  it("the user list items carry no profile fields", async () => {
    const { token } = await createUserWithToken(t);
    await update(token, PROFILE);
    const list = await expectJson<{ users: Record<string, unknown>[] }>(await t.request("/users/", { token }), 200);
    for (const item of list.users) expect(Object.keys(item).sort()).toEqual(["email", "id", "is_active", "username"]);
  });
});
