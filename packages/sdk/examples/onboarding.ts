/**
 * A front end's first minutes, through the SDK only: two people sign up, one logs in and creates a company, invites
 * the other, who logs in and accepts; then anyone can list the members.
 *
 *   pnpm --filter @internship/sdk exec tsx --conditions=source examples/onboarding.ts http://localhost:8000
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { createClient, isApiError, login, logout, type RouterOutputs, type TokenPair } from "@internship/sdk";

export async function onboarding(url: string): Promise<RouterOutputs["companies"]["members"]["list"]> {
  const tag = randomUUID().slice(0, 8);
  const alice = { email: `alice-${tag}@example.com`, username: `alice_${tag}`, password: "correct horse battery" };
  const bob = { email: `bob-${tag}@example.com`, username: `bob_${tag}`, password: "staple battery horse" };

  // Signing up needs no token.
  const anonymous = createClient({ url });
  await anonymous.users.create.mutate(alice);
  const bobAccount = await anonymous.users.create.mutate(bob);

  // A session client keeps the tokens, refreshes them on a 401 and says when they change (store them) or end.
  let aliceTokens: TokenPair | null = null;
  const aliceClient = createClient({
    url,
    session: {
      onTokens: (tokens) => {
        aliceTokens = tokens;
      },
      onLogout: () => {
        aliceTokens = null;
      },
    },
  });
  await login(aliceClient, { email: alice.email, password: alice.password });
  const company = await aliceClient.companies.create.mutate({ name: `Acme ${tag}`, description: "Anvils" });
  const invitation = await aliceClient.companies.invitations.create.mutate({
    company_id: company.id,
    invited_user_id: bobAccount.id,
  });

  const bobClient = createClient({ url, session: {} });
  await login(bobClient, { email: bob.email, password: bob.password });
  const { invitations } = await bobClient.companies.invitations.listMine.query({});
  if (!invitations.some((received) => received.id === invitation.id)) throw new Error("Bob sees no invitation");
  await bobClient.companies.invitations.accept.mutate({ invitation_id: invitation.id });

  // Errors carry the HTTP status and the tRPC code: accepting twice is a conflict.
  try {
    await bobClient.companies.invitations.accept.mutate({ invitation_id: invitation.id });
  } catch (error) {
    if (!isApiError(error) || error.data?.httpStatus !== 409) throw error;
  }

  const members = await anonymous.companies.members.list.query({ company_id: company.id });
  await Promise.all([logout(aliceClient), logout(bobClient)]);
  if (aliceTokens !== null) throw new Error("the logout was not reported");
  return members;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const members = await onboarding(process.argv[2] ?? "http://localhost:8000");
  console.log(JSON.stringify(members, null, 2));
}
