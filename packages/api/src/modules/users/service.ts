import { randomInt } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import type { Auth0Identity } from "../../credentials/auth0.js";
import { hashPassword, unusablePasswordHash } from "../../credentials/passwords.js";
import type { Database } from "../../db/client.js";
import { preparedPerDatabase } from "../../db/prepared.js";
import { type UserRow, users } from "../../db/schema.js";
import { conflict, firstRow, hidingParameters, onViolation } from "../../errors.js";
import { cursorAt, fetchPage, inWindow, type PageRequest } from "../../pagination.js";
import { isUuid, withIsoTimestamps } from "../../schemas.js";
import { revokeAllRefreshTokens } from "../auth/refresh.js";
import type { CreateUserInput, UpdateMeInput, UpdateUserInput, UserDetail, UserList } from "./schemas.js";
import { username as usernameSchema } from "./schemas.js";

type UserDeps = Pick<AppDeps, "config" | "db" | "store">;

/**
 * The unique indexes behind sign-up and updates. PostgreSQL checks a row's unique indexes in the order they were
 * created, and the email index comes first, so a row taking both an email and a username is reported for its email.
 */
const USER_CONFLICTS = {
  users_email_key: conflict("Email already registered"),
  users_username_key: conflict("Username already taken"),
};

const userNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "User not found" });

const userById = preparedPerDatabase((db) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .limit(1)
    .prepare("user_by_id"),
);

/** The user with this id, or undefined; the lookup every authenticated request makes. */
export async function findUserById(db: Database, userId: string): Promise<UserRow | undefined> {
  const [row] = await userById(db).execute({ id: userId });
  return row;
}

/** Emails are stored lower-cased: `email` must be too (the email schema does it). */
export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

/** The user, or 404 "User not found" (a malformed id is as unknown as a missing one). */
export async function requireUser(db: Database, userId: string): Promise<UserRow> {
  const row = isUuid(userId) ? await findUserById(db, userId) : undefined;
  if (!row) throw userNotFound();
  return row;
}

/** The wire form of a user; `phone` is shown only to the user themselves and to superusers. */
export function toUserDetail(row: UserRow, viewer: Pick<UserRow, "id" | "is_superuser">): UserDetail {
  const { id, email, username, is_active, is_superuser, first_name, last_name, bio, avatar_url, created_at } = row;
  const phone = viewer.id === row.id || viewer.is_superuser ? row.phone : null;
  const fields = { id, email, username, is_active, is_superuser, first_name, last_name, bio, avatar_url, phone };
  return withIsoTimestamps({ ...fields, created_at, updated_at: row.updated_at });
}

/** Sign-up: an active, non-superuser account. Uniqueness is the database's to keep, so racing sign-ups get 409s. */
export async function createUser(deps: UserDeps, input: CreateUserInput): Promise<UserDetail> {
  const hashed_password = await hashPassword(input.password, deps.config.bcryptRounds);
  const rows = await onViolation(
    () =>
      hidingParameters(() =>
        deps.db.insert(users).values({ email: input.email, username: input.username, hashed_password }).returning(),
      ),
    USER_CONFLICTS,
  );
  const row = firstRow(rows);
  return toUserDetail(row, row);
}

/**
 * The user an Auth0 identity stands for: the account with that email, or a new one with a free, valid username and a
 * password nobody knows (docs/differences.md#auth0-usernames). Racing first requests end with one user: the loser's
 * insert does nothing, and it reads the winner's row.
 */
export async function findOrProvisionAuth0User(deps: Pick<UserDeps, "config" | "db">, identity: Auth0Identity) {
  const existing = await findUserByEmail(deps.db, identity.email);
  if (existing) return existing;
  const hashed_password = await unusablePasswordHash(deps.config.bcryptRounds);
  for (const username of usernameCandidates(identity)) {
    const [created] = await hidingParameters(() =>
      deps.db
        .insert(users)
        .values({ email: identity.email, username, hashed_password })
        .onConflictDoNothing()
        .returning(),
    );
    if (created) return created;
    // Either the email arrived meanwhile (a racing request) or the username is taken: try the next one.
    const raced = await findUserByEmail(deps.db, identity.email);
    if (raced) return raced;
  }
  throw new Error("no free username found for an Auth0 user");
}

const USERNAME_MAX = 100;
const SUFFIX_ATTEMPTS = 20;

/** The nickname if valid, the email's local part if valid, then the local part plus "_" and 4 random digits. */
function* usernameCandidates(identity: Auth0Identity): Generator<string> {
  const nickname = usernameSchema().safeParse(identity.nickname);
  if (nickname.success) yield nickname.data;
  const localPart = identity.email.slice(0, identity.email.lastIndexOf("@"));
  const base = [...localPart].slice(0, USERNAME_MAX).join("");
  if (usernameSchema().safeParse(base).success) yield base;
  // "_" and 4 digits take 5 characters; the base is cut so the result stays within 100.
  const shortBase = [...base].slice(0, USERNAME_MAX - 5).join("");
  for (let attempt = 0; attempt < SUFFIX_ATTEMPTS; attempt++) {
    yield `${shortBase}_${String(randomInt(10_000)).padStart(4, "0")}`;
  }
}

export async function listUsers(deps: Pick<UserDeps, "db">, page: PageRequest): Promise<UserList> {
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(page, "users", (window) =>
      inWindow(
        deps.db
          .select({
            id: users.id,
            email: users.email,
            username: users.username,
            is_active: users.is_active,
            cursor_at: cursorAt(users.created_at),
          })
          .from(users)
          .$dynamic(),
        users,
        undefined,
        window,
      ),
    ),
    deps.db.$count(users),
  ]);
  return { users: rows, total, next_cursor };
}

export async function getUser(deps: Pick<UserDeps, "db">, viewer: UserRow, userId: string): Promise<UserDetail> {
  return toUserDetail(await requireUser(deps.db, userId), viewer);
}

export async function updateMe(deps: UserDeps, caller: UserRow, input: UpdateMeInput): Promise<UserDetail> {
  const { password, ...fields } = input;
  const row = await applyChanges(deps, caller, fields, password);
  // Deleted since the token was checked: what the token check itself would now answer.
  if (!row) throw new TRPCError({ code: "UNAUTHORIZED", message: "User not found" });
  return toUserDetail(row, caller);
}

/** Superusers only, checked before anything about the target; `is_superuser` cannot be granted here. */
export async function updateUser(deps: UserDeps, caller: UserRow, input: UpdateUserInput): Promise<UserDetail> {
  assertManagesUsers(caller);
  const { user_id, password, ...fields } = input;
  const row = await applyChanges(deps, await requireUser(deps.db, user_id), fields, password);
  if (!row) throw userNotFound();
  return toUserDetail(row, caller);
}

/** Already gone (a concurrent deletion) is as good as deleted. */
export async function deleteMe(deps: UserDeps, caller: UserRow): Promise<void> {
  await deleteById(deps, caller.id);
}

export async function deleteUser(deps: UserDeps, caller: UserRow, userId: string): Promise<void> {
  assertManagesUsers(caller);
  if (!isUuid(userId) || !(await deleteById(deps, userId))) throw userNotFound();
}

function assertManagesUsers(caller: UserRow): void {
  if (!caller.is_superuser) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can manage other users" });
  }
}

type ColumnChanges = Partial<
  Pick<
    UserRow,
    "email" | "username" | "is_active" | "first_name" | "last_name" | "bio" | "avatar_url" | "phone" | "hashed_password"
  >
>;

/**
 * Writes the fields that differ from the current row; nothing at all (not even `updated_at`) when none does. A new
 * password or a deactivation revokes the user's refresh tokens in the same transaction, so a store outage leaves the
 * row unchanged rather than the old tokens alive. Undefined when the user was deleted meanwhile.
 */
async function applyChanges(
  deps: UserDeps,
  current: UserRow,
  fields: Omit<ColumnChanges, "hashed_password">,
  password: string | undefined,
): Promise<UserRow | undefined> {
  const changes: ColumnChanges = Object.fromEntries(
    Object.entries(fields).filter(
      ([column, value]) => value !== undefined && current[column as keyof UserRow] !== value,
    ),
  );
  if (password !== undefined) changes.hashed_password = await hashPassword(password, deps.config.bcryptRounds);
  if (Object.keys(changes).length === 0) return current;
  const revokes = changes.hashed_password !== undefined || changes.is_active === false;
  // A new password or a deactivation also stops the access tokens already issued.
  const revokedAt = revokes ? new Date() : undefined;
  return onViolation(
    () =>
      hidingParameters(() =>
        deps.db.transaction(async (tx) => {
          const [row] = await tx
            .update(users)
            .set({ ...changes, ...(revokedAt && { tokens_valid_after: revokedAt }), updated_at: sql`now()` })
            .where(eq(users.id, current.id))
            .returning();
          if (row && revokedAt) await revokeAllRefreshTokens(deps, row.id, revokedAt);
          return row;
        }),
      ),
    USER_CONFLICTS,
  );
}

/** Deletes the user (the cascade takes everything hanging on them) and revokes their refresh tokens. */
async function deleteById(deps: UserDeps, userId: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
    if (deleted.length === 0) return false;
    await revokeAllRefreshTokens(deps, userId);
    return true;
  });
}
