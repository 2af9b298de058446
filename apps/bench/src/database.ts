import { randomBytes } from "node:crypto";
import { openDatabase } from "@internship/api";
import { hash } from "@node-rs/bcrypt";
import postgres from "postgres";
import { encodeCursor } from "./cursor.js";

/** Every seeded user logs in with this password. */
export const SEED_PASSWORD = "bench password 0123";

export type BenchDatabase = { url: string; drop(): Promise<void> };

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database beside the admin URL's, migrated with the server's own migrations; `drop()` removes it. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `internship_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(adminUrl, name);
  const handle = await openDatabase({ url });
  await handle.migrate();
  await handle.close();
  return {
    url,
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

export type SeedCounts = { users: number; companies: number };

/**
 * Users and companies inserted straight into the tables, in SQL (a million companies take seconds, not minutes).
 * Every user has the same bcrypt hash at the server's cost, so a login costs what a real one costs. One company in ten
 * is hidden; creation times are distinct so the list's order is the index's. VACUUM ANALYZE leaves the tables as
 * autovacuum would after a while: statistics for the planner and a visibility map for index-only scans.
 */
export async function seed(url: string, counts: SeedCounts, bcryptRounds: number): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const hashed = await hash(SEED_PASSWORD, bcryptRounds);
    await sql`
      insert into users (email, username, hashed_password, created_at, updated_at)
      select 'bench-' || n || '@example.com', 'bench_' || n, ${hashed},
             now() - n * interval '1 second', now() - n * interval '1 second'
      from generate_series(1, ${counts.users}::int) as n`;
    await sql`
      with owners as (select array_agg(id order by id) as ids, count(*)::int as total from users)
      insert into companies (name, description, is_visible, owner_id, created_at, updated_at)
      select 'Company ' || n,
             case when n % 3 = 0 then null else 'A company seeded for the benchmark, number ' || n end,
             n % 10 <> 0,
             owners.ids[1 + n % owners.total],
             now() - n * interval '10 milliseconds', now() - n * interval '10 milliseconds'
      from owners, generate_series(1, ${counts.companies}::int) as n`;
    await sql.unsafe("vacuum analyze users");
    await sql.unsafe("vacuum analyze companies");
  } finally {
    await sql.end();
  }
}

export type Fixtures = {
  /** Ids of visible companies, in random order. */
  companyIds: string[];
  users: { id: string; email: string }[];
  /** A directory cursor `depth` visible rows deep (900,000 at most, the last full page on a smaller directory). */
  deep: { cursor: string; depth: number };
};

const MAX_DEPTH = 900_000;

/** What the load generator picks from: a sample of visible company ids and every seeded user. */
export async function loadFixtures(url: string): Promise<Fixtures> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const companies = await sql<{ id: string }[]>`
      select id from companies where is_visible order by random() limit 2000`;
    const users = await sql<{ id: string; email: string }[]>`select id, email from users order by email`;
    const [{ visible = 0 } = {}] = await sql<{ visible: number }[]>`
      select count(*)::int as visible from companies where is_visible`;
    const depth = Math.max(1, Math.min(MAX_DEPTH, visible - 101));
    // The cursor names the row just before the page, in the directory's order and with its microseconds.
    const [before] = await sql<{ at: string; id: string }[]>`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id from companies
      where is_visible order by created_at desc, id desc offset ${depth - 1} limit 1`;
    if (!before) throw new Error("the seeded directory is empty");
    return {
      companyIds: companies.map((row) => row.id),
      users: [...users],
      deep: { cursor: encodeCursor(before), depth },
    };
  } finally {
    await sql.end();
  }
}
