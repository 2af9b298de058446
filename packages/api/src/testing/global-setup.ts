import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrationsFolder, openDatabase } from "../db/client.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated template database each test file copies. */
    templateDatabase: string | undefined;
    /** PGlite: a dump of a migrated data directory each test file loads. */
    pgliteDump: string | undefined;
  }
}

/**
 * Migrates one database per test run: a template database on PostgreSQL (DATABASE_URL set), or a PGlite dump
 * otherwise. Each test file then gets its own copy (see createTestDatabase), so files run in parallel.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `internship_tpl_${randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${template}"`);
    const handle = await openDatabase({ url: withDatabase(url, template) });
    await handle.migrate();
    await handle.close();
    project.provide("templateDatabase", template);
    project.provide("pgliteDump", undefined);
    return async () => {
      await admin.unsafe(`drop database if exists "${template}" with (force)`);
      await admin.end();
    };
  }
  const directory = mkdtempSync(join(tmpdir(), "internship-pglite-"));
  const client = await PGlite.create();
  await migrate(drizzle(client), { migrationsFolder });
  const dump = await client.dumpDataDir("gzip");
  await client.close();
  const file = join(directory, "migrated.tar.gz");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("templateDatabase", undefined);
  project.provide("pgliteDump", file);
  return async () => rmSync(directory, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
