/**
 * The floor: the benchmarked endpoints written bare (Hono + postgres.js + jose + bcrypt + pino; no tRPC, no Zod, no
 * ORM). Each runs the SQL text the real service sends, with the same driver calls (drizzle sends statements through
 * `unsafe`, prepared for the hot reads the service prepares: PREPARED), the same Redis commands, bcrypt at the same
 * cost and the same bytes: body, `X-Request-Id`, CORS headers and list cursors; and it writes the same access log line
 * through pino at the same level. What the real server costs beyond this is the framework's price.
 */
import { randomUUID } from "node:crypto";
import { type HttpBindings, serve } from "@hono/node-server";
import { compare, hash } from "@node-rs/bcrypt";
import { Hono } from "hono";
import { Redis } from "ioredis";
import { jwtVerify, SignJWT } from "jose";
import postgres from "postgres";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { accessLog, createFloorLogger } from "./floor-http.js";
import { quizRoutes } from "./floor-quizzes.js";

const env = process.env;
const sql = postgres(env.DATABASE_URL ?? "", { max: 10, onnotice: () => {}, connect_timeout: 5 });
const redis = new Redis(env.REDIS_URL ?? "", { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
redis.on("error", () => {});
const encoder = new TextEncoder();
// Imported once, as the service does (raw bytes would make jose import a key per call).
const hmacKey = (secret: string) =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const accessKey = await hmacKey(env.JWT_SECRET_KEY ?? "");
const refreshKey = await hmacKey(env.JWT_REFRESH_SECRET_KEY ?? "");
const rounds = Number(env.BCRYPT_ROUNDS ?? 12);
const ACCESS_TTL = 30 * 60;
const REFRESH_TTL = 7 * 86_400;
const MAX_FAILURES = 5;
const MAX_FAILURES_PER_ADDRESS = 50;
const WINDOW = 900;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PREPARED = { prepare: true };
const LIST_COLUMNS = `select "id", "name", "description", "is_visible", "owner_id", to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') from "companies" where "companies"."is_visible"`;
const NEWEST_FIRST = `order by "companies"."created_at" desc, "companies"."id" desc`;
const LIST = `${LIST_COLUMNS} ${NEWEST_FIRST} limit $1 offset $2`;
const LIST_AFTER = `${LIST_COLUMNS} and ("companies"."created_at", "companies"."id") < ($1::timestamptz, $2::uuid) ${NEWEST_FIRST} limit $3`;
const COUNT = `select count(*) as count from "companies" where "companies"."is_visible";`;
const COUNT_CAPPED = `select count(*) from (select "id" from "companies" where "companies"."is_visible" limit $1) "capped"`;
// The companies service's strategy for `total`: exact up to the bound, a cached count refreshed in the background past it.
const COUNT_BOUND = 10_000;
const COUNT_MAX_AGE_MS = 10_000;
const COMPANY = `select "companies"."id", "companies"."name", "companies"."description", "companies"."is_visible", "companies"."owner_id", "companies"."created_at", "companies"."updated_at", "company_members"."is_admin" from "companies" left join "company_members" on ("company_members"."company_id" = "companies"."id" and "company_members"."user_id" = $1) where "companies"."id" = $2 limit $3`;
const USER_COLUMNS = `"id", "email", "username", "hashed_password", "is_active", "is_superuser", "first_name", "last_name", "bio", "avatar_url", "phone", "created_at", "updated_at"`;
const USER_BY_ID = `select ${USER_COLUMNS} from "users" where "users"."id" = $1 limit $2`;
const USER_BY_EMAIL = `select ${USER_COLUMNS} from "users" where "users"."email" = $1 limit $2`;
const INCR_WITH_TTL = `
local value = redis.call('INCR', KEYS[1])
if value == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return value`;

type UserRow = Record<string, unknown> & { id: string; is_active: boolean; created_at: Date; updated_at: Date };

const error = (detail: string, code: string) => ({ detail, code });
const userDetail = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  username: u.username,
  is_active: u.is_active,
  is_superuser: u.is_superuser,
  created_at: u.created_at.toISOString(),
  updated_at: u.updated_at.toISOString(),
  first_name: u.first_name,
  last_name: u.last_name,
  bio: u.bio,
  avatar_url: u.avatar_url,
  phone: u.phone,
});
const page = (value: string | undefined, fallback: number, min: number, max: number): number | undefined => {
  if (value === undefined) return fallback;
  const parsed = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  return parsed >= min && parsed <= max ? parsed : undefined;
};
let dummyHash: Promise<string> | undefined;
let cachedCount: { value: number; countedAt: number } | undefined;
let counting: Promise<number> | undefined;
const countAll = (): Promise<number> => {
  counting ??= sql.unsafe(COUNT).then(
    ([row]) => {
      const value = Number(row?.count);
      cachedCount = value > COUNT_BOUND ? { value, countedAt: Date.now() } : undefined;
      counting = undefined;
      return value;
    },
    (error: unknown) => {
      counting = undefined;
      throw error;
    },
  );
  return counting;
};
const visibleCount = async (): Promise<number> => {
  if (cachedCount) {
    if (Date.now() - cachedCount.countedAt >= COUNT_MAX_AGE_MS) countAll().catch(() => {});
    return cachedCount.value;
  }
  const [row] = await sql.unsafe(COUNT_CAPPED, [COUNT_BOUND + 1], PREPARED);
  const capped = Number(row?.count);
  return capped <= COUNT_BOUND ? capped : countAll();
};

const app = new Hono<{ Bindings: HttpBindings }>();
app.use(accessLog(createFloorLogger(env.LOG_LEVEL ?? "info")));

app.get("/", (c) => c.json({ status_code: 200, detail: "ok", result: "working" }));

app.get("/companies/:id{[^/]+}", async (c) => {
  const id = c.req.param("id");
  if (!UUID.test(id)) return c.json(error("Company not found", "NOT_FOUND"), 404);
  const [row] = await sql.unsafe(COMPANY, [null, id.toLowerCase(), 1], PREPARED);
  if (!row?.is_visible) return c.json(error("Company not found", "NOT_FOUND"), 404);
  return c.json({
    id: row.id,
    name: row.name,
    description: row.description,
    is_visible: row.is_visible,
    owner_id: row.owner_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  });
});

const listCompanies = async (c: { req: { query(name: string): string | undefined } }) => {
  const skip = page(c.req.query("skip"), 0, 0, 2_147_483_647);
  const limit = page(c.req.query("limit"), 100, 1, 100);
  const cursor = c.req.query("cursor");
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  if (skip === undefined || limit === undefined || (cursor !== undefined && (!after || skip !== 0))) return undefined;
  // One row more than the page: whether another page follows.
  const rows = after
    ? sql.unsafe(LIST_AFTER, [after.at, after.id, limit + 1], PREPARED)
    : sql.unsafe(LIST, [limit + 1, skip], PREPARED);
  const [found, total] = await Promise.all([rows, visibleCount()]);
  const companies = found.slice(0, limit).map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    is_visible: row.is_visible,
    owner_id: row.owner_id,
  }));
  const last = found[limit - 1];
  const next_cursor = found.length > limit && last ? encodeCursor({ at: last.to_char, id: last.id }) : null;
  return { companies, total, next_cursor };
};
for (const path of ["/companies", "/companies/"]) {
  app.get(path, async (c) => {
    const list = await listCompanies(c);
    return list ? c.json(list) : c.json(error("Validation error", "BAD_REQUEST"), 422);
  });
}

/** The bearer token's user, or the 401/403 the service answers. */
const caller = async (c: { req: { header(name: string): string | undefined } }) => {
  const token = /^bearer (\S+)$/i.exec(c.req.header("authorization")?.trim() ?? "")?.[1];
  let sub: string | undefined;
  try {
    const { payload } = await jwtVerify(token ?? "", accessKey, { algorithms: ["HS256"], requiredClaims: ["exp"] });
    if (payload.type === "access" && typeof payload.sub === "string" && UUID.test(payload.sub)) sub = payload.sub;
  } catch {}
  if (sub === undefined)
    return { status: 401, detail: "Could not validate credentials", code: "UNAUTHORIZED" } as const;
  const [user] = (await sql.unsafe(USER_BY_ID, [sub, 1], PREPARED)) as unknown as UserRow[];
  if (!user) return { status: 401, detail: "User not found", code: "UNAUTHORIZED" } as const;
  if (!user.is_active) return { status: 403, detail: "Inactive user", code: "FORBIDDEN" } as const;
  return user;
};

app.get("/auth/me", async (c) => {
  const user = await caller(c);
  if (!("id" in user)) return c.json(error(user.detail, user.code), user.status);
  return c.json(userDetail(user));
});

quizRoutes(app as unknown as Hono, sql, COMPANY, caller);

app.post("/auth/login", async (c) => {
  const body = (await c.req.json().catch(() => null)) as { email?: unknown; password?: unknown } | null;
  if (typeof body?.email !== "string" || typeof body.password !== "string" || body.password === "") {
    return c.json(error("Validation error", "BAD_REQUEST"), 422);
  }
  const email = body.email.trim().toLowerCase();
  const address = c.env.incoming.socket.remoteAddress ?? "unknown";
  const addressKey = `login:fail:${address}`;
  const pairKey = `login:fail:${email}:${address}`;
  if (Number((await redis.get(addressKey)) ?? 0) >= MAX_FAILURES_PER_ADDRESS) {
    return c.json(error("Too many failed login attempts", "TOO_MANY_REQUESTS"), 429);
  }
  if (Number(await redis.eval(INCR_WITH_TTL, 1, pairKey, WINDOW)) > MAX_FAILURES) {
    return c.json(error("Too many failed login attempts", "TOO_MANY_REQUESTS"), 429);
  }
  const [user] = (await sql.unsafe(USER_BY_EMAIL, [email, 1])) as unknown as UserRow[];
  dummyHash ??= hash("dummy password for unknown emails", rounds);
  const hashed = typeof user?.hashed_password === "string" ? user.hashed_password : await dummyHash;
  const matches = Buffer.byteLength(body.password) <= 72 && (await compare(body.password, hashed).catch(() => false));
  if (!user || !matches) {
    await redis.eval(INCR_WITH_TTL, 1, addressKey, WINDOW);
    return c.json(error("Incorrect email or password", "UNAUTHORIZED"), 401);
  }
  await redis.del(pairKey);
  if (!user.is_active) return c.json(error("Inactive user", "FORBIDDEN"), 403);
  const family = randomUUID();
  const jti = randomUUID();
  const refresh = await new SignJWT({ type: "refresh", fam: family })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setJti(jti)
    .setIssuedAt(Date.now() / 1000)
    .setExpirationTime(`${REFRESH_TTL}s`)
    .sign(refreshKey);
  await redis.set(`refresh:fam:${family}`, JSON.stringify({ user_id: user.id, jti }), "EX", REFRESH_TTL);
  const access = await new SignJWT({ type: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TTL}s`)
    .sign(accessKey);
  return c.json({ access_token: access, refresh_token: refresh, token_type: "bearer" });
});

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(env.PORT ?? 0) }, (info) => {
  console.log(JSON.stringify({ msg: "listening", port: info.port }));
});
process.on("SIGTERM", () => {
  server.close(async () => {
    await Promise.allSettled([sql.end({ timeout: 5 }), redis.quit()]);
    process.exit(0);
  });
});
