import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { inject } from "vitest";
import { type Config, loadConfig } from "../config.js";
import { type DatabaseHandle, openDatabase } from "../db/client.js";
import { createMemoryStore, createRedisStore, type Store } from "../store/store.js";
import { withDatabase } from "./global-setup.js";

export { withDatabase };

/**
 * A database of this test file's own, migrated: a copy of the run's template on PostgreSQL (DATABASE_URL set), or
 * an in-memory PGlite loaded from the run's dump. `close()` drops it.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  const template = inject("templateDatabase");
  if (url && template) {
    const name = `internship_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}" template "${template}"`);
    const handle = await openDatabase({ url: withDatabase(url, name) });
    return {
      ...handle,
      close: async () => {
        await handle.close();
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      },
    };
  }
  const dump = inject("pgliteDump");
  if (!dump) throw new Error("the test database template is missing: is the global setup configured?");
  return openDatabase({ loadDataDir: new Blob([readFileSync(dump)]) });
}

/** Redis under a key prefix of this file's own when REDIS_URL is set, else the in-process store. */
export function createTestStore(): Store {
  const url = process.env.REDIS_URL;
  if (!url) return createMemoryStore();
  return createRedisStore(url, { keyPrefix: `test:${randomBytes(6).toString("hex")}:` });
}

/** Settings for tests: fast bcrypt, no Auth0, everything else at its default unless overridden. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ENVIRONMENT: "test", BCRYPT_ROUNDS: "4", LOG_LEVEL: "silent", ...overrides });
}

export * from "./companies.js";
export { accessTokenFor, insertUser, setTokensValidAfter, TEST_PASSWORD } from "./factories.js";
export * from "./quizzes.js";
export * from "./transfers.js";
