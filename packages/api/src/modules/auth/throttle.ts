import { TRPCError } from "@trpc/server";
import type { Context } from "../../context.js";
import type { Store } from "../../store/store.js";

export type LoginAttempt = { failed(): Promise<void>; succeeded(): Promise<void> };

/**
 * Opens a login attempt, or answers 429 while (email, address) or the address alone is past its limit, whatever the
 * password. The (email, address) counter is raised before the password is checked, so parallel guesses cannot
 * all slip under the limit; a success clears it. The address counter counts failures only: many people may share an
 * address, and their successful logins must not lock each other out.
 */
export async function beginLoginAttempt(
  deps: Pick<Context, "config" | "store">,
  email: string,
  address: string,
): Promise<LoginAttempt> {
  const { maxFailures, maxFailuresPerAddress, windowSeconds } = deps.config.login;
  const addressKey = `login:fail:${address}`;
  const pairKey = `login:fail:${email}:${address}`;
  const addressFailures = Number((await deps.store.get(addressKey)) ?? 0);
  if (addressFailures >= maxFailuresPerAddress) throw await tooManyAttempts(deps.store, addressKey, windowSeconds);
  if ((await deps.store.incr(pairKey, windowSeconds)) > maxFailures) {
    throw await tooManyAttempts(deps.store, pairKey, windowSeconds);
  }
  return {
    failed: async () => {
      await deps.store.incr(addressKey, windowSeconds);
    },
    succeeded: () => deps.store.delete(pairKey),
  };
}

async function tooManyAttempts(store: Store, key: string, windowSeconds: number): Promise<TRPCError> {
  const retryAfterSeconds = (await store.ttl(key)) ?? windowSeconds;
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: "Too many failed login attempts",
    cause: { retryAfterSeconds },
  });
}
