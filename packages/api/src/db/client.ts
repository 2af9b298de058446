import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema.js";

/** One type for both drivers: services never know which one they talk to. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseHandle = {
  db: Database;
  kind: "postgres" | "pglite";
  /** Applies the committed migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export type DatabaseOptions =
  /** A PostgreSQL server. */
  | { url: string; poolSize?: number }
  /** Embedded PGlite: a data directory, or in memory when `dataDir` is undefined (optionally loaded from a dump). */
  | { url?: undefined; dataDir?: string; loadDataDir?: Blob };

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** A migrated PGlite data directory, written by the build (write-template.ts); absent when run from source. */
export const embeddedTemplate = fileURLToPath(new URL("../embedded-template", import.meta.url));

// Any fixed 64-bit number; every instance must use the same one.
const MIGRATION_LOCK_ID = 7_311_405_902;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url !== undefined) {
    const url = options.url;
    const client = postgres(url, { max: options.poolSize ?? 10, onnotice: () => {}, connect_timeout: 5 });
    return {
      db: drizzlePostgres(client, { schema }) as unknown as Database,
      kind: "postgres",
      migrate: () => migratePostgresUrl(url),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.dataDir !== undefined) copyTemplateIfFresh(options.dataDir);
  // Loaded only when used: a server on PostgreSQL does not carry the embedded database's code (~9 MB).
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const client = await PGlite.create({
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    ...(options.loadDataDir !== undefined && { loadDataDir: options.loadDataDir }),
  });
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Database,
    kind: "pglite",
    // One process owns an embedded database, so no lock is needed.
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

/**
 * A data folder that does not exist yet or is empty starts as a copy of the build's migrated template: a plain file
 * copy, where initdb takes seconds. Copied beside it and renamed, so a start cut short leaves no half a database.
 */
function copyTemplateIfFresh(dataDir: string): void {
  const fresh = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (!fresh || !existsSync(join(embeddedTemplate, "PG_VERSION"))) {
    mkdirSync(dataDir, { recursive: true });
    return;
  }
  const copy = `${dataDir}.copying-${process.pid}`;
  try {
    cpSync(embeddedTemplate, copy, { recursive: true });
    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(copy, dataDir);
  } catch {
    // An unreadable template or a full disk: PGlite's own initdb, slower, still gives a database.
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
  }
}

/**
 * Several instances may start at once: they queue on an advisory lock held by one dedicated connection, and each
 * later one finds nothing left to apply.
 */
async function migratePostgresUrl(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
