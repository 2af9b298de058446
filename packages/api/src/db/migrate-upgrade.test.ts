import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "./client.js";

/** The migrations folder as it was before the newest migration: the database a deployed server holds. */
function folderWithoutLastMigration(): string {
  const folder = mkdtempSync(join(tmpdir(), "internship-migrations-"));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalFile = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
  journal.entries.pop();
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

describe("the newest migration on a database holding earlier data", () => {
  const folder = folderWithoutLastMigration();
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("keeps every row valid: pending invitations expire a default lifetime after their creation", {
    timeout: 120_000,
  }, async () => {
    const client = await PGlite.create();
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: folder });
    await client.exec(`
      insert into users (id, email, username, hashed_password)
        values ('11111111-1111-4111-8111-111111111111', 'a@example.com', 'alice', 'x'),
               ('22222222-2222-4222-8222-222222222222', 'b@example.com', 'bob', 'x');
      insert into companies (id, name, owner_id)
        values ('33333333-3333-4333-8333-333333333333', 'Acme', '11111111-1111-4111-8111-111111111111');
      insert into company_invitations (company_id, invited_user_id, invited_by_id, status, created_at)
        values ('33333333-3333-4333-8333-333333333333', '22222222-2222-4222-8222-222222222222',
                '11111111-1111-4111-8111-111111111111', 'pending', '2026-01-01T00:00:00Z');
    `);
    await migrate(db, { migrationsFolder });
    const invitations = await client.query<{ expires_at: Date; status: string }>(
      "select expires_at, status from company_invitations",
    );
    expect(invitations.rows).toEqual([{ expires_at: new Date("2026-01-08T00:00:00Z"), status: "pending" }]);
    const users = await client.query<{ tokens_valid_after: Date | null }>("select tokens_valid_after from users");
    expect(users.rows).toEqual([{ tokens_valid_after: null }, { tokens_valid_after: null }]);
    await client.close();
  });
});
