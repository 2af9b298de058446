import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedTemplate, openDatabase } from "./client.js";

const parent = mkdtempSync(join(tmpdir(), "internship-embedded-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows);

// A fresh folder starts as a copy of the build's template when there is one (after `pnpm build`), else by initdb.
describe(`an embedded data folder (template ${existsSync(embeddedTemplate) ? "built" : "absent"})`, () => {
  it("starts fresh, migrated, and keeps its rows across restarts", { timeout: 120_000 }, async () => {
    const dataDir = join(parent, "nested", "pglite");
    const first = await openDatabase({ dataDir });
    await first.migrate();
    await first.db.execute(sql`insert into users (email, username, hashed_password) values ('a@b.co', 'a', 'x')`);
    await first.close();
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);

    const second = await openDatabase({ dataDir });
    await second.migrate();
    const rows = rowsOf(await second.db.execute(sql`select email from users`));
    await second.close();
    expect(rows).toEqual([{ email: "a@b.co" }]);
  });
});
