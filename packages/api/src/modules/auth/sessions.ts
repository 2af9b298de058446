import type { Context } from "../../context.js";

/*
 * Sessions (docs/store.md#sessions): one per refresh family, kept in the hash `sessions:{user_id}` beside the family
 * record, field = family id. The hash lives as long as its newest family; each record says when its own family
 * expires. A session is alive while its family record exists: every revocation removes both, and a list checks the
 * family anyway, so a record that outlived its family is never shown.
 */

export type SessionDeps = Pick<Context, "config" | "store">;

/** Where a session began: the `User-Agent` (cut to 255 characters) and the client address. */
export type SessionClient = { userAgent: string | undefined; ip: string };

type SessionRecord = {
  created_at: string;
  last_used_at: string;
  user_agent: string | null;
  ip: string | null;
  /** Epoch milliseconds: when the family's record expires if it is not refreshed. */
  expires_at: number;
};

export type Session = Omit<SessionRecord, "expires_at"> & { id: string };

const USER_AGENT_MAX = 255;

export const sessionsKey = (userId: string) => `sessions:${userId}`;
export const familyKey = (family: string) => `refresh:fam:${family}`;

const record = (deps: SessionDeps, fields: Omit<SessionRecord, "expires_at">): string =>
  JSON.stringify({ ...fields, expires_at: Date.now() + deps.config.jwt.refreshTtlSeconds * 1000 });

function parse(value: string | undefined): SessionRecord | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as SessionRecord;
  } catch {
    return undefined;
  }
}

/** A login: the new family's session. */
export async function startSession(
  deps: SessionDeps,
  userId: string,
  family: string,
  client: SessionClient,
): Promise<void> {
  const now = new Date().toISOString();
  const userAgent = client.userAgent === undefined ? null : [...client.userAgent].slice(0, USER_AGENT_MAX).join("");
  const value = record(deps, { created_at: now, last_used_at: now, user_agent: userAgent, ip: client.ip });
  await deps.store.hashSet(sessionsKey(userId), family, value, deps.config.jwt.refreshTtlSeconds);
}

/** A refresh: the session was used now and lives a refresh lifetime longer, as its family does. */
export async function touchSession(deps: SessionDeps, userId: string, family: string): Promise<void> {
  const key = sessionsKey(userId);
  const current = parse((await deps.store.hashGetAll(key))[family]);
  const now = new Date().toISOString();
  const value = record(deps, {
    created_at: current?.created_at ?? now,
    last_used_at: now,
    user_agent: current?.user_agent ?? null,
    ip: current?.ip ?? null,
  });
  await deps.store.hashSet(key, family, value, deps.config.jwt.refreshTtlSeconds);
}

/** Ends a family the user's refresh token names: its tokens stop, and its session goes. */
export async function endSession(deps: SessionDeps, userId: string, family: string): Promise<void> {
  await deps.store.hashDelete(sessionsKey(userId), family);
  await deps.store.delete(familyKey(family));
}

/** Ends one of the user's listed sessions; false when it is not theirs (another user's family is left alone). */
export async function endListedSession(deps: SessionDeps, userId: string, family: string): Promise<boolean> {
  if (!(await deps.store.hashDelete(sessionsKey(userId), family))) return false;
  await deps.store.delete(familyKey(family));
  return true;
}

/** Forgets every session of the user (their refresh tokens are voided by `refresh:nbf`). */
export async function forgetAllSessions(deps: SessionDeps, userId: string): Promise<void> {
  await deps.store.delete(sessionsKey(userId));
}

/** The user's live sessions, newest first. */
export async function listSessions(deps: SessionDeps, userId: string): Promise<Session[]> {
  const fields = await deps.store.hashGetAll(sessionsKey(userId));
  const now = Date.now();
  const candidates = Object.entries(fields).flatMap(([id, value]) => {
    const session = parse(value);
    return session && session.expires_at > now ? [{ id, session }] : [];
  });
  const alive = await Promise.all(candidates.map(async ({ id }) => (await deps.store.get(familyKey(id))) !== null));
  return candidates
    .filter((_, index) => alive[index])
    .map(({ id, session: { expires_at: _, ...fields } }) => ({ id, ...fields }))
    .sort((a, b) =>
      a.created_at === b.created_at ? b.id.localeCompare(a.id) : b.created_at.localeCompare(a.created_at),
    );
}
