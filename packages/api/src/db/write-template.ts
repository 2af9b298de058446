/**
 * Run by `pnpm build`: dist/embedded-template/, a PGlite data directory with every migration applied. A server on a
 * fresh embedded data folder starts from a copy of it instead of running initdb (seconds of WebAssembly; PGlite's
 * own tarball loading still takes ~4× a plain open). Written by this build's PGlite and migrations, so it matches both.
 */
import { rmSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { embeddedTemplate, migrationsFolder } from "./client.js";

rmSync(embeddedTemplate, { recursive: true, force: true });
const client = await PGlite.create({ dataDir: embeddedTemplate });
await migrate(drizzle(client), { migrationsFolder });
await client.close();
