import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Config } from "../config.js";
import { hashPassword } from "../credentials/passwords.js";
import { issueAccessToken } from "../credentials/tokens.js";
import type { Database } from "../db/client.js";
import { type UserRow, users } from "../db/schema.js";
import { firstRow } from "../errors.js";

export const TEST_PASSWORD = "correct horse battery";

// One cheap hash shared by every factory user (cost 4): tests stay fast, and login with TEST_PASSWORD still works.
let sharedHash: Promise<string> | undefined;

/** Inserts a user straight into the table (no endpoint involved) and returns the row. */
export async function insertUser(
  db: Database,
  overrides: Partial<Pick<UserRow, "email" | "username" | "is_active" | "is_superuser">> = {},
): Promise<UserRow> {
  const suffix = randomBytes(5).toString("hex");
  sharedHash ??= hashPassword(TEST_PASSWORD, 4);
  const rows = await db
    .insert(users)
    .values({
      email: overrides.email ?? `user-${suffix}@example.com`,
      username: overrides.username ?? `user_${suffix}`,
      hashed_password: await sharedHash,
      is_active: overrides.is_active ?? true,
      is_superuser: overrides.is_superuser ?? false,
    })
    .returning();
  return firstRow(rows);
}

/** A valid access token for a user id. */
export const accessTokenFor = (config: Config, userId: string): Promise<string> => issueAccessToken(config, userId);

/** Sets the instant before which the user's access tokens are refused, as logout-all would. */
export async function setTokensValidAfter(db: Database, userId: string, at: Date): Promise<void> {
  await db.update(users).set({ tokens_valid_after: at }).where(eq(users.id, userId));
}
