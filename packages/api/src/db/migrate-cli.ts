// `pnpm db:migrate`: applies the committed migrations to the configured database (DATABASE_URL, POSTGRES_*, or the
// embedded PGlite directory) and exits. The server also migrates at start; this is for deploy pipelines.
import "dotenv/config";
import { ConfigError, loadConfig } from "../config.js";
import { openDatabase } from "./client.js";

try {
  const config = loadConfig();
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.embeddedDataDir },
  );
  await database.migrate();
  await database.close();
  console.log(`migrations applied (${database.kind})`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
