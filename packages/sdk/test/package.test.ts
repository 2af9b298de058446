import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveServer, startLiveServer } from "./live-server.js";

const sdkRoot = fileURLToPath(new URL("..", import.meta.url));
const SERVER_PACKAGES = [
  "drizzle-orm",
  "postgres",
  "ioredis",
  "@node-rs/bcrypt",
  "@electric-sql/pglite",
  "@internship/api",
];

/** Runs a command; rejects with everything it printed when it fails. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  // pnpm's npm_* variables (user agent, package, lifecycle) would leak the workspace into npm in the other project.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
  );
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed (${error.message}):\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A front end's code: compiles only if the published types are the real ones (each @ts-expect-error must fail). */
const CONSUMER = `import {
  type ApiError,
  createClient,
  createRestClient,
  isApiError,
  login,
  logout,
  type RouterInputs,
  type RouterOutputs,
  type SessionClient,
  type TokenPair,
} from "@internship/sdk";

export async function consumer(url: string): Promise<void> {
  const client = createClient({ url, token: async () => "an access token" });
  const me: RouterOutputs["users"]["me"] = await client.users.me.query();
  const email: string = me.email;
  // @ts-expect-error no password ever leaves the server
  console.log(me.hashed_password);

  const input: RouterInputs["companies"]["create"] = { name: "Acme", description: null };
  const company = await client.companies.create.mutate(input);
  const ownerId: string = company.owner_id;
  // @ts-expect-error a company needs a name
  await client.companies.create.mutate({ description: "no name" });
  const { members, total } = await client.companies.members.list.query({ company_id: company.id });
  const admin: boolean | undefined = members[0]?.is_admin;
  await client.companies.invitations.accept.mutate({ invitation_id: "an id" });
  // @ts-expect-error no such procedure
  await client.companies.rename.mutate({ name: "x" });

  let stored: TokenPair | null = null;
  const session: SessionClient = createClient({
    url,
    session: { tokens: stored, onTokens: (tokens) => { stored = tokens; }, onLogout: () => { stored = null; } },
  });
  const pair: TokenPair = await login(session, { email, password: "a password" });
  await logout(session);
  // @ts-expect-error login needs a client created with a session
  await login(client, { email, password: "a password" });

  try {
    await client.users.create.mutate({ email, username: "name", password: "a password" });
  } catch (error) {
    if (isApiError(error)) {
      const typed: ApiError = error;
      const status: number | undefined = typed.data?.httpStatus;
      const fields: (string | number)[][] | undefined = typed.data?.issues?.map((issue) => issue.path);
      const conflict: boolean = typed.data?.code === "CONFLICT";
      console.log(status, fields, conflict);
    }
  }

  const rest = createRestClient({ url, token: pair.access_token });
  const { data, error } = await rest.GET("/companies/{company_id}/members", { params: { path: { company_id: company.id } } });
  const restTotal: number | undefined = data?.total;
  const detail: string | undefined = error?.detail;
  // @ts-expect-error not a path of the API
  await rest.GET("/companies/{company_id}/secrets", { params: { path: { company_id: company.id } } });
  console.log(ownerId, total, admin, restTotal, detail);
}
`;

let server: LiveServer;
let workDir: string;
let project: string;

beforeAll(async () => {
  server = await startLiveServer();
  workDir = mkdtempSync(join(tmpdir(), "internship-sdk-pack-"));
  // `pnpm pack` runs the prepack build, so the tarball holds what the sources build today.
  await run("pnpm", ["pack", "--pack-destination", workDir], sdkRoot);
  const tarball = readdirSync(workDir).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`pnpm pack left no tarball in ${workDir}`);

  project = join(workDir, "consumer");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        // @trpc/server's own declarations name Disposable; skipLibCheck stays off so that ours are checked too.
        lib: ["ES2023", "DOM", "ESNext.Disposable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ["consumer.ts"],
    }),
  );
  writeFileSync(join(project, "consumer.ts"), CONSUMER);
  // The tarball and its declared peers, from the registry: nothing of the workspace.
  await run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      join(workDir, tarball),
      "typescript@5.9.3",
      "@trpc/client@11.25.2",
      "@trpc/server@11.25.2",
    ],
    project,
  );
}, 300_000);

afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await server.close();
});

describe("the packed SDK in a project outside the workspace", () => {
  it("type-checks a consumer with its declarations alone", async () => {
    await run(join(project, "node_modules/.bin/tsc"), ["-p", "."], project);
  }, 120_000);

  it("ships one declaration file that imports only its peers and openapi-fetch", () => {
    const installed = join(project, "node_modules/@internship/sdk");
    expect(readdirSync(join(installed, "dist")).filter((name) => name.endsWith(".d.ts"))).toEqual(["index.d.ts"]);
    const declarations = readFileSync(join(installed, "dist/index.d.ts"), "utf8");
    const imported = [...declarations.matchAll(/from ['"]([^'"]+)['"]/g)].map((match) => match[1]);
    expect(new Set(imported)).toEqual(new Set(["@trpc/client", "@trpc/server", "openapi-fetch"]));
    expect(declarations).not.toMatch(/packages\/api|@internship\/api|drizzle|ioredis/);
  });

  it("installs no server code", async () => {
    type Tree = { dependencies?: Record<string, Tree> };
    const tree = JSON.parse(await run("npm", ["ls", "--all", "--json"], project)) as Tree;
    const names = new Set<string>();
    const walk = (node: Tree) => {
      for (const [name, child] of Object.entries(node.dependencies ?? {})) {
        names.add(name);
        walk(child);
      }
    };
    walk(tree);
    expect(names).toContain("@internship/sdk");
    expect(SERVER_PACKAGES.filter((name) => names.has(name))).toEqual([]);
  });

  it("calls the live server from the installed JavaScript", async () => {
    const script = `import { createClient } from "@internship/sdk";
      const health = await createClient({ url: process.argv[1] }).health.check.query();
      console.log(JSON.stringify(health));`;
    const output = await run(process.execPath, ["--input-type=module", "-e", script, server.url], project);
    expect(JSON.parse(output)).toEqual({ status_code: 200, detail: "ok", result: "working" });
  });
});
