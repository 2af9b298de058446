import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { createTestDatabase, insertUser } from "../../testing/index.js";
import { COUNT_BOUND, COUNT_MAX_AGE_MS, listCompanies } from "./directory.js";

let database: DatabaseHandle;
let ownerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ownerId = (await insertUser(database.db)).id;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await database.close();
});

/** `count` visible companies (and one hidden one that must never count), straight into the table. */
async function insertCompanies(count: number): Promise<void> {
  await database.db.execute(sql`
    insert into companies (name, owner_id, is_visible)
    select 'Company ' || n, ${ownerId}, true from generate_series(1, ${count}::int) as n`);
  await database.db.execute(
    sql`insert into companies (name, owner_id, is_visible) values ('Hidden', ${ownerId}, false)`,
  );
}

const total = async () => (await listCompanies(database.db, { skip: 0, limit: 1 })).total;

async function eventually(expected: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await total()) === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(await total()).toBe(expected);
}

describe("GET /companies/ total", () => {
  it("is exact up to the bound, then a cached count refreshed in the background once it is old enough", async () => {
    await insertCompanies(COUNT_BOUND - 1);
    expect(await total()).toBe(COUNT_BOUND - 1);
    await insertCompanies(1);
    expect(await total()).toBe(COUNT_BOUND);

    // Past the bound: counted once, then served from the cache while it is young.
    await insertCompanies(5);
    expect(await total()).toBe(COUNT_BOUND + 5);
    await insertCompanies(3);
    expect(await total()).toBe(COUNT_BOUND + 5);

    // Once it is old, a request still gets the cached value and starts a recount the next ones see.
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + COUNT_MAX_AGE_MS + 1);
    expect(await total()).toBe(COUNT_BOUND + 5);
    await eventually(COUNT_BOUND + 8);

    // Back under the bound, the recount drops the cache and the total is exact again.
    await database.db.execute(sql`delete from companies where name like 'Company %' and ctid in (
      select ctid from companies where name like 'Company %' limit 100)`);
    vi.spyOn(Date, "now").mockReturnValue(now + 2 * COUNT_MAX_AGE_MS + 2);
    await eventually(COUNT_BOUND - 92);
    await insertCompanies(1);
    expect(await total()).toBe(COUNT_BOUND - 91);
  });
});
