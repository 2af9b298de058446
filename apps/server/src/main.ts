import { serve } from "@hono/node-server";
import {
  ConfigError,
  configWarnings,
  createMemoryStore,
  createRedisStore,
  loadConfig,
  openDatabase,
} from "@internship/api";
import "dotenv/config";
import { createApp } from "./app.js";
import { createLogger } from "./logger.js";

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  for (const warning of configWarnings(config)) logger.warn({}, warning);

  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.embeddedDataDir },
  );
  await database.migrate();
  const store = config.redisUrl
    ? createRedisStore(config.redisUrl, { onError: (err) => logger.warn({ err }, "redis error") })
    : createMemoryStore();

  const app = createApp({ config, db: database.db, store, logger });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (address) => {
    logger.info(
      {
        address: address.address,
        port: address.port,
        database: database.kind,
        store: config.redisUrl ? "redis" : "memory",
      },
      "listening",
    );
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      logger.error({}, "shutdown deadline passed; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // Stop accepting, let in-flight requests finish, then close the pools.
    server.close(async () => {
      await Promise.allSettled([database.close(), store.close()]);
      logger.info({}, "stopped");
      // The log is written asynchronously: out with the last lines before leaving.
      logger.flush(() => process.exit(0));
    });
    if ("closeIdleConnections" in server) server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

await main();
