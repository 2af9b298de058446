import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { type ApiError, type Client, createClient, isApiError, type RouterOutputs } from "../src/index.js";
import { type LiveServer, recordingFetch, signUpBody, startLiveServer } from "./live-server.js";

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(() => server.close());

type Account = { user: RouterOutputs["users"]["create"]; client: Client; tokens: RouterOutputs["auth"]["login"] };

/** A new user signed up and logged in through the SDK, with a client carrying their access token. */
async function signedUp(): Promise<Account> {
  const anonymous = createClient({ url: server.url });
  const body = signUpBody();
  const user = await anonymous.users.create.mutate(body);
  const tokens = await anonymous.auth.login.mutate({ email: body.email, password: body.password });
  return { user, tokens, client: createClient({ url: server.url, token: tokens.access_token }) };
}

/** The ApiError a call rejects with (fails the test when it succeeds or throws something else). */
async function apiError(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    (value) => expect.fail(`expected an error, got ${JSON.stringify(value)}`),
    (reason: unknown) => reason,
  );
  if (!isApiError(error)) throw error;
  return error;
}

describe("health", () => {
  it("health.check answers the health body", async () => {
    const health = await createClient({ url: server.url }).health.check.query();
    expect(health).toEqual({ status_code: 200, detail: "ok", result: "working" });
    expectTypeOf(health.result).toEqualTypeOf<"working">();
  });
});

describe("users", () => {
  it("signs up, reads and updates the caller, lists users and reads one by id", async () => {
    const { user, client } = await signedUp();
    expect(user).toMatchObject({ is_active: true, is_superuser: false });

    const me = await client.users.me.query();
    expect(me.id).toBe(user.id);
    expectTypeOf(me).toEqualTypeOf<RouterOutputs["users"]["me"]>();

    const updated = await client.users.updateMe.mutate({ bio: "Writes the SDK" });
    expect(updated.bio).toBe("Writes the SDK");

    const { users, total } = await client.users.list.query({ limit: 100 });
    expect(total).toBeGreaterThanOrEqual(1);
    expect(users.map((listed) => listed.id)).toContain(user.id);

    expect((await client.users.byId.query({ user_id: user.id })).email).toBe(user.email);
  });

  it("deletes the caller", async () => {
    const { client } = await signedUp();
    await client.users.deleteMe.mutate();
    expect((await apiError(client.users.me.query())).data?.httpStatus).toBe(401);
  });
});

describe("auth", () => {
  it("logs in, reads the caller, refreshes the pair and logs out", async () => {
    const { user, tokens, client } = await signedUp();
    expect(tokens.token_type).toBe("bearer");
    expect((await client.auth.me.query()).id).toBe(user.id);

    const anonymous = createClient({ url: server.url });
    const renewed = await anonymous.auth.refresh.mutate({ refresh_token: tokens.refresh_token });
    expect(renewed.refresh_token).not.toBe(tokens.refresh_token);

    await createClient({ url: server.url, token: renewed.access_token }).auth.logout.mutate({
      refresh_token: renewed.refresh_token,
    });
    const refused = await apiError(anonymous.auth.refresh.mutate({ refresh_token: renewed.refresh_token }));
    expect(refused.data?.httpStatus).toBe(401);
  });
});

describe("companies", () => {
  it("creates, lists, reads, updates and deletes a company", async () => {
    const { user, client } = await signedUp();
    const company = await client.companies.create.mutate({ name: "Acme", description: "Anvils" });
    expect(company).toMatchObject({ name: "Acme", description: "Anvils", is_visible: true, owner_id: user.id });

    const anonymous = createClient({ url: server.url });
    const { companies } = await anonymous.companies.list.query({ limit: 100 });
    expect(companies.map((listed) => listed.id)).toContain(company.id);
    expect((await anonymous.companies.byId.query({ company_id: company.id })).name).toBe("Acme");

    const updated = await client.companies.update.mutate({ company_id: company.id, description: null });
    expect(updated.description).toBeNull();

    await client.companies.delete.mutate({ company_id: company.id });
    expect((await apiError(anonymous.companies.byId.query({ company_id: company.id }))).data?.httpStatus).toBe(404);
  });
});

describe("companies.invitations", () => {
  it("invites; the invitee sees, declines, is invited again and accepts; the owner cancels another", async () => {
    const owner = await signedUp();
    const invitee = await signedUp();
    const other = await signedUp();
    const { id: company_id } = await owner.client.companies.create.mutate({ name: "Invitations Ltd" });

    const first = await owner.client.companies.invitations.create.mutate({
      company_id,
      invited_user_id: invitee.user.id,
    });
    expect(first).toMatchObject({ status: "pending", invited_by_id: owner.user.id });
    const mine = await invitee.client.companies.invitations.listMine.query({});
    expect(mine.invitations.map((invitation) => invitation.id)).toEqual([first.id]);
    await invitee.client.companies.invitations.decline.mutate({ invitation_id: first.id });

    const second = await owner.client.companies.invitations.create.mutate({
      company_id,
      invited_user_id: invitee.user.id,
    });
    await invitee.client.companies.invitations.accept.mutate({ invitation_id: second.id });

    const toCancel = await owner.client.companies.invitations.create.mutate({
      company_id,
      invited_user_id: other.user.id,
    });
    await owner.client.companies.invitations.cancel.mutate({ company_id, invitation_id: toCancel.id });

    const all = await owner.client.companies.invitations.listForCompany.query({ company_id, status: "all" });
    const statuses = Object.fromEntries(all.invitations.map((invitation) => [invitation.id, invitation.status]));
    expect(statuses).toEqual({ [first.id]: "declined", [second.id]: "accepted", [toCancel.id]: "cancelled" });
  });
});

describe("companies.requests", () => {
  it("asks to join; the owner lists, accepts one and declines another; a requester cancels", async () => {
    const owner = await signedUp();
    const accepted = await signedUp();
    const declined = await signedUp();
    const { id: company_id } = await owner.client.companies.create.mutate({ name: "Requests Ltd" });

    const toAccept = await accepted.client.companies.requests.create.mutate({ company_id });
    const toDecline = await declined.client.companies.requests.create.mutate({ company_id });
    const pending = await owner.client.companies.requests.listForCompany.query({ company_id });
    expect(pending.requests.map((request) => request.id).sort()).toEqual([toAccept.id, toDecline.id].sort());

    await owner.client.companies.requests.accept.mutate({ company_id, request_id: toAccept.id });
    await owner.client.companies.requests.decline.mutate({ company_id, request_id: toDecline.id });

    const again = await declined.client.companies.requests.create.mutate({ company_id });
    await declined.client.companies.requests.cancel.mutate({ company_id, request_id: again.id });
    const mine = await declined.client.companies.requests.listMine.query({ status: "all" });
    expect(mine.requests.map((request) => request.status).sort()).toEqual(["cancelled", "declined"]);
  });
});

describe("companies.members", () => {
  it("lists members; one leaves and the owner removes another", async () => {
    const owner = await signedUp();
    const leaving = await signedUp();
    const removed = await signedUp();
    const { id: company_id } = await owner.client.companies.create.mutate({ name: "Members Ltd" });
    for (const account of [leaving, removed]) {
      const request = await account.client.companies.requests.create.mutate({ company_id });
      await owner.client.companies.requests.accept.mutate({ company_id, request_id: request.id });
    }

    const anonymous = createClient({ url: server.url });
    const before = await anonymous.companies.members.list.query({ company_id });
    expect(before.members.map((member) => member.username).sort()).toEqual(
      [leaving.user.username, removed.user.username].sort(),
    );

    await leaving.client.companies.members.leave.mutate({ company_id });
    await owner.client.companies.members.remove.mutate({ company_id, user_id: removed.user.id });
    expect(await anonymous.companies.members.list.query({ company_id })).toEqual({
      members: [],
      total: 0,
      next_cursor: null,
    });
  });
});

describe("the client", () => {
  it("sends calls made together in one HTTP request", async () => {
    const { tokens } = await signedUp();
    const recorder = recordingFetch();
    const client = createClient({ url: server.url, token: tokens.access_token, fetch: recorder.fetch });
    const [me, health, companies] = await Promise.all([
      client.users.me.query(),
      client.health.check.query(),
      client.companies.list.query({}),
    ]);
    expect([me.email, health.detail, typeof companies.total]).toEqual([expect.any(String), "ok", "number"]);
    expect(recorder.paths).toEqual(["/trpc/users.me,health.check,companies.list"]);
  });

  it("calls a token function (sync or async) before each request", async () => {
    const { tokens } = await signedUp();
    let calls = 0;
    const client = createClient({
      url: server.url,
      token: async () => {
        calls += 1;
        return tokens.access_token;
      },
      headers: () => ({ "x-request-id": `sdk-test-${calls}` }),
    });
    await client.users.me.query();
    await client.auth.me.query();
    expect(calls).toBe(2);
    const synchronous = createClient({ url: server.url, token: () => tokens.access_token });
    expect((await synchronous.users.me.query()).email).toBeTruthy();
  });

  it("rejects with the status, the code and the field issues of a validation error", async () => {
    const error = await apiError(
      createClient({ url: server.url }).users.create.mutate({
        email: "not an email",
        username: "ok_name",
        password: "x",
      }),
    );
    expect(error.message).toBe("Validation error");
    // tRPC answers BAD_REQUEST with 400; the REST bridge maps the same error to 422.
    expect(error.data).toMatchObject({ httpStatus: 400, code: "BAD_REQUEST" });
    const fields = error.data?.issues?.map((issue) => issue.path.join("."));
    expect(fields).toEqual(expect.arrayContaining(["email", "password"]));
  });

  it("rejects with 401, 404 and 409 and the contract's messages", async () => {
    const { user, client } = await signedUp();
    const anonymous = createClient({ url: server.url });

    const unauthorized = await apiError(anonymous.users.me.query());
    expect(unauthorized.data).toMatchObject({ httpStatus: 401, code: "UNAUTHORIZED" });

    const missing = await apiError(client.companies.byId.query({ company_id: crypto.randomUUID() }));
    expect([missing.data?.httpStatus, missing.message]).toEqual([404, "Company not found"]);

    const taken = await apiError(anonymous.users.create.mutate({ ...signUpBody(), email: user.email }));
    expect([taken.data?.httpStatus, taken.data?.code, taken.message]).toEqual([
      409,
      "CONFLICT",
      "Email already registered",
    ]);
  });
});
