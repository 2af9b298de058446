/**
 * Run by `pnpm build`: dist/embedded-template/, a PGlite data directory with every migration applied. A server on a
 * fresh embedded data folder starts from a copy of it instead of running initdb (seconds of WebAssembly; PGlite's
 * own tarball loading still takes ~4× a plain open). Written by this build's PGlite and migrations, so it matches both.
 */
import { chmodSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { embeddedTemplate, migrationsFolder } from "./client.js";

rmSync(embeddedTemplate, { recursive: true, force: true });
const client = await PGlite.create({ dataDir: embeddedTemplate });
await migrate(drizzle(client), { migrationsFolder });
await client.close();

// Readable by anyone: the deployed code is root's and the server copies the template as another user (Docker's `node`).
chmodSync(embeddedTemplate, 0o755);
for (const entry of readdirSync(embeddedTemplate, { recursive: true, withFileTypes: true })) {
  chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
}
