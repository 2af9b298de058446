import type { Database } from "./client.js";

/**
 * A query built once per database handle and run as a prepared statement. For the hottest reads (the caller's user,
 * a company and the caller's role in it, the directory page): drizzle's SQL building was a fifth of such a request's
 * CPU, and PostgreSQL parses the statement once per connection instead of per call.
 */
export function preparedPerDatabase<Query>(build: (db: Database) => Query): (db: Database) => Query {
  const built = new WeakMap<Database, Query>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
