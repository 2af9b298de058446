import { TRPCError } from "@trpc/server";
import { desc, eq, sql } from "drizzle-orm";
import { hashPassword } from "../../auth/passwords.js";
import { type UserRow, users } from "../../db/schema.js";
import { conflictOnDuplicate, hidingParameters } from "../../errors.js";
import type { AppDeps } from "../../trpc.js";
import { revokeAllRefreshTokens } from "../auth/refresh.js";
import type { CreateUserInput, UpdateMeInput, UpdateUserInput, UserDetail, UserList } from "./schemas.js";

type UserDeps = Pick<AppDeps, "config" | "db" | "store">;

/**
 * The unique indexes behind sign-up and updates (D34). PostgreSQL checks a row's unique indexes in the order they were
 * created, and the email index comes first, so a row taking both an email and a username is reported for its email.
 */
export const USER_CONFLICTS = {
  users_email_key: "Email already registered",
  users_username_key: "Username already taken",
};

const userNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "User not found" });

/** The wire form of a user; `phone` is shown only to the user themselves and to superusers (D50). */
export function toUserDetail(row: UserRow, viewer: Pick<UserRow, "id" | "is_superuser">): UserDetail {
  const showPhone = viewer.id === row.id || viewer.is_superuser;
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    is_active: row.is_active,
    is_superuser: row.is_superuser,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    first_name: row.first_name,
    last_name: row.last_name,
    bio: row.bio,
    avatar_url: row.avatar_url,
    phone: showPhone ? row.phone : null,
  };
}

/** Sign-up: an active, non-superuser account. Uniqueness is the database's to keep, so racing sign-ups get 409s. */
export async function createUser(deps: UserDeps, input: CreateUserInput): Promise<UserDetail> {
  const hashed_password = await hashPassword(input.password, deps.config.bcryptRounds);
  const [row] = await conflictOnDuplicate(
    () =>
      hidingParameters(() =>
        deps.db.insert(users).values({ email: input.email, username: input.username, hashed_password }).returning(),
      ),
    USER_CONFLICTS,
  );
  if (!row) throw new Error("insert returned no row");
  return toUserDetail(row, row);
}

export async function listUsers(deps: Pick<UserDeps, "db">, page: { skip: number; limit: number }): Promise<UserList> {
  const [rows, total] = await Promise.all([
    deps.db
      .select({ id: users.id, email: users.email, username: users.username, is_active: users.is_active })
      .from(users)
      .orderBy(desc(users.created_at), desc(users.id))
      .offset(page.skip)
      .limit(page.limit),
    deps.db.$count(users),
  ]);
  return { users: rows, total };
}

export async function getUser(deps: Pick<UserDeps, "db">, viewer: UserRow, userId: string): Promise<UserDetail> {
  return toUserDetail(await findUser(deps, userId), viewer);
}

export async function updateMe(deps: UserDeps, caller: UserRow, input: UpdateMeInput): Promise<UserDetail> {
  const { password, ...fields } = input;
  const row = await applyChanges(deps, caller, fields, password);
  // Deleted since the token was checked: what the token check itself would now answer.
  if (!row) throw new TRPCError({ code: "UNAUTHORIZED", message: "User not found" });
  return toUserDetail(row, caller);
}

/** Superusers only, checked before the target's existence (D15); `is_superuser` cannot be granted here. */
export async function updateUser(deps: UserDeps, caller: UserRow, input: UpdateUserInput): Promise<UserDetail> {
  assertManagesUsers(caller);
  const { user_id, password, ...fields } = input;
  const row = await applyChanges(deps, await findUser(deps, user_id), fields, password);
  if (!row) throw userNotFound();
  return toUserDetail(row, caller);
}

/** Already gone (a concurrent deletion) is as good as deleted. */
export async function deleteMe(deps: UserDeps, caller: UserRow): Promise<void> {
  await deleteById(deps, caller.id);
}

export async function deleteUser(deps: UserDeps, caller: UserRow, userId: string): Promise<void> {
  assertManagesUsers(caller);
  if (!(await deleteById(deps, userId))) throw userNotFound();
}

export function assertManagesUsers(caller: UserRow): void {
  if (!caller.is_superuser) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can manage other users" });
  }
}

async function findUser(deps: Pick<UserDeps, "db">, userId: string): Promise<UserRow> {
  const [row] = await deps.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!row) throw userNotFound();
  return row;
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
 * row unchanged rather than the old tokens alive (D18). Undefined when the user was deleted meanwhile.
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
  return conflictOnDuplicate(
    () =>
      hidingParameters(() =>
        deps.db.transaction(async (tx) => {
          const [row] = await tx
            .update(users)
            .set({ ...changes, updated_at: sql`now()` })
            .where(eq(users.id, current.id))
            .returning();
          if (row && revokes) await revokeAllRefreshTokens(deps, row.id);
          return row;
        }),
      ),
    USER_CONFLICTS,
  );
}

/** Deletes the user (the cascade takes everything hanging on them) and revokes their refresh tokens (D18). */
async function deleteById(deps: UserDeps, userId: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
    if (deleted.length === 0) return false;
    await revokeAllRefreshTokens(deps, userId);
    return true;
  });
}
