import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { withDatabase } from "../testing/index.js";
import { migrationsFolder, openDatabase } from "./client.js";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: unknown[] };
const expectedTables = ["company_invitations", "company_members", "company_requests", "companies", "users"];

async function publicTables(db: Awaited<ReturnType<typeof openDatabase>>["db"]): Promise<string[]> {
  const result = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return (Array.isArray(result) ? result : (result as { rows: { table_name: string }[] }).rows).map(
    (row) => row.table_name,
  );
}

async function appliedMigrations(db: Awaited<ReturnType<typeof openDatabase>>["db"]): Promise<number> {
  const result = await db.execute<{ count: number }>(
    sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: { count: number }[] }).rows;
  return rows[0]?.count ?? -1;
}

// A fresh PGlite runs initdb first: slow on a loaded 2-core machine, hence the longer timeout.
describe("migrations on embedded PGlite", () => {
  it("create every table and are idempotent when applied twice", { timeout: 120_000 }, async () => {
    const database = await openDatabase({});
    await database.migrate();
    await database.migrate();
    expect(await publicTables(database.db)).toEqual(expect.arrayContaining(expectedTables));
    expect(await appliedMigrations(database.db)).toBe(journal.entries.length);
    await database.close();
  });
});

describe.runIf(process.env.DATABASE_URL)("migrations on PostgreSQL", () => {
  it("run once when two processes start them at the same moment, and again is a no-op", {
    timeout: 120_000,
  }, async () => {
    const adminUrl = process.env.DATABASE_URL as string;
    const name = `internship_migrate_${randomBytes(5).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = withDatabase(adminUrl, name);
    try {
      const env = { ...process.env, DATABASE_URL: url };
      const cli = ["--import", "tsx", "src/db/migrate-cli.ts"];
      const [first, second] = await Promise.all([
        run(process.execPath, cli, { cwd: packageDir, env }),
        run(process.execPath, cli, { cwd: packageDir, env }),
      ]);
      expect(first.stdout).toContain("migrations applied (postgres)");
      expect(second.stdout).toContain("migrations applied (postgres)");

      const database = await openDatabase({ url });
      expect(await appliedMigrations(database.db)).toBe(journal.entries.length);
      await database.migrate();
      expect(await appliedMigrations(database.db)).toBe(journal.entries.length);
      expect(await publicTables(database.db)).toEqual(expect.arrayContaining(expectedTables));
      await database.close();
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
