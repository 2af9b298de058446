import { count, desc, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { preparedPerDatabase } from "../../db/prepared.js";
import { companies } from "../../db/schema.js";
import { cursorAt, fetchPage, type PageRequest, type PageWindow } from "../../pagination.js";
import type { CompanyList } from "./schemas.js";

// A literal predicate, not `is_visible = $1`: a parameter would keep a generic plan off the partial index.
const visible = sql`${companies.is_visible}`;

/** A company as lists show it, with its cursor key. */
export const directoryColumns = {
  id: companies.id,
  name: companies.name,
  description: companies.description,
  is_visible: companies.is_visible,
  owner_id: companies.owner_id,
  cursor_at: cursorAt(companies.created_at),
};

const newestFirst = [desc(companies.created_at), desc(companies.id)];

const pageAtOffset = preparedPerDatabase((db) =>
  db
    .select(directoryColumns)
    .from(companies)
    .where(visible)
    .orderBy(...newestFirst)
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare("directory_page"),
);

// The keyset form: as cheap 900,000 rows deep as on the first page.
const pageAfterKey = preparedPerDatabase((db) =>
  db
    .select(directoryColumns)
    .from(companies)
    .where(
      sql`${visible} and (${companies.created_at}, ${companies.id}) < (${sql.placeholder("at")}::timestamptz, ${sql.placeholder("id")}::uuid)`,
    )
    .orderBy(...newestFirst)
    .limit(sql.placeholder("limit"))
    .prepare("directory_page_after"),
);

const directoryRows = (db: Database, { after, limit, offset }: PageWindow) =>
  after ? pageAfterKey(db).execute({ ...after, limit }) : pageAtOffset(db).execute({ limit, offset });

/** The public directory: visible companies only, hidden ones left out even for their owner. */
export async function listCompanies(db: Database, page: PageRequest): Promise<CompanyList> {
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(page, "companies", (window) => directoryRows(db, window)),
    visibleCompanyCount(db),
  ]);
  return { companies: rows, total, next_cursor };
}

/**
 * The list's `total`. A count reads every row it counts: an index-only scan of the partial index takes ~215 ms at
 * 900,000 visible companies (the planner prefers a parallel seq scan: ~350 ms), which would cap the list at a few
 * requests a second. Up to COUNT_BOUND rows the total is exact, from a count that stops at the bound (~3 ms);
 * beyond it, it is a count cached per database and refreshed in the background once it is COUNT_MAX_AGE_MS old,
 * so a directory that large shows a total up to that old. A counter table kept by triggers would stay exact, but
 * every create, delete and visibility change would queue on its one row.
 */
export const COUNT_BOUND = 10_000;
export const COUNT_MAX_AGE_MS = 10_000;

type CachedCount = { value: number; countedAt: number; refreshing: boolean };
const largeCounts = new WeakMap<Database, CachedCount>();
const countsInFlight = new WeakMap<Database, Promise<number>>();

const visibleCountUpToBound = preparedPerDatabase((db) =>
  db
    .select({ total: count() })
    .from(
      db
        .select({ id: companies.id })
        .from(companies)
        .where(visible)
        .limit(COUNT_BOUND + 1)
        .as("capped"),
    )
    .prepare("visible_count_up_to_bound"),
);

async function visibleCompanyCount(db: Database): Promise<number> {
  const cached = largeCounts.get(db);
  if (cached) {
    if (!cached.refreshing && Date.now() - cached.countedAt >= COUNT_MAX_AGE_MS) {
      cached.refreshing = true;
      // A failed refresh keeps the last value and is retried by a later request.
      countAllVisible(db).then(
        () => {},
        () => {
          cached.refreshing = false;
        },
      );
    }
    return cached.value;
  }
  const [row] = await visibleCountUpToBound(db).execute();
  const total = row?.total ?? 0;
  return total <= COUNT_BOUND ? total : countAllVisible(db);
}

/** The exact count, one at a time per database; past the bound it is cached, back under it the cache goes. */
function countAllVisible(db: Database): Promise<number> {
  let counting = countsInFlight.get(db);
  if (!counting) {
    counting = db.$count(companies, visible).then(
      (total) => {
        countsInFlight.delete(db);
        if (total > COUNT_BOUND) largeCounts.set(db, { value: total, countedAt: Date.now(), refreshing: false });
        else largeCounts.delete(db);
        return total;
      },
      (error: unknown) => {
        countsInFlight.delete(db);
        throw error;
      },
    );
    countsInFlight.set(db, counting);
  }
  return counting;
}
