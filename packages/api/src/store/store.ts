import { createRequire } from "node:module";
import type { Redis as RedisClient } from "ioredis";

// Loaded when a Redis store is made: a server on the in-process store does not pay ioredis's import (~80 ms).
const loadRedis = () => (createRequire(import.meta.url)("ioredis") as typeof import("ioredis")).Redis;

/**
 * The small key-value interface behind refresh-token state and login throttling. Every key expires by itself.
 * Redis when configured (shared by every instance), else an in-process map (one process only).
 */
export type Store = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Replaces the value only if it currently equals `expected`; true when it did. Atomic. */
  compareAndSet(key: string, expected: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Increments a counter; the first increment starts its TTL, later ones keep it. Returns the new value. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /** Seconds until the key expires, or null when it does not exist. */
  ttl(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  /** Sets one field of a hash and (re)starts the whole hash's TTL. */
  hashSet(key: string, field: string, value: string, ttlSeconds: number): Promise<void>;
  /** Every field of a hash ({} when there is none). */
  hashGetAll(key: string): Promise<Record<string, string>>;
  /** Removes one field; true when it was there. */
  hashDelete(key: string, field: string): Promise<boolean>;
  close(): Promise<void>;
};

export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

type Entry = { value: string; expiresAt: number };
type HashEntry = { fields: Map<string, string>; expiresAt: number };

export function createMemoryStore(now: () => number = Date.now): Store {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const hashes = new Map<string, HashEntry>();
  const liveHash = (key: string): HashEntry | undefined => {
    const entry = hashes.get(key);
    if (entry && entry.expiresAt <= now()) {
      hashes.delete(key);
      return undefined;
    }
    return entry;
  };
  // Lazy expiry alone would keep keys that are never read again (a failed login's counter, say).
  const sweeper = setInterval(() => {
    for (const key of entries.keys()) live(key);
    for (const key of hashes.keys()) liveHash(key);
  }, 60_000);
  sweeper.unref();
  return {
    get: async (key) => live(key)?.value ?? null,
    set: async (key, value, ttlSeconds) => {
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    compareAndSet: async (key, expected, value, ttlSeconds) => {
      if (live(key)?.value !== expected) return false;
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      return true;
    },
    incr: async (key, ttlSeconds) => {
      const entry = live(key);
      const next = (entry ? Number(entry.value) : 0) + 1;
      entries.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? now() + ttlSeconds * 1000 });
      return next;
    },
    ttl: async (key) => {
      const entry = live(key) ?? liveHash(key);
      return entry ? Math.max(1, Math.ceil((entry.expiresAt - now()) / 1000)) : null;
    },
    delete: async (key) => {
      entries.delete(key);
      hashes.delete(key);
    },
    hashSet: async (key, field, value, ttlSeconds) => {
      const fields = liveHash(key)?.fields ?? new Map<string, string>();
      fields.set(field, value);
      hashes.set(key, { fields, expiresAt: now() + ttlSeconds * 1000 });
    },
    hashGetAll: async (key) => Object.fromEntries(liveHash(key)?.fields ?? []),
    hashDelete: async (key, field) => liveHash(key)?.fields.delete(field) ?? false,
    close: async () => {
      clearInterval(sweeper);
      entries.clear();
      hashes.clear();
    },
  };
}

const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

const INCR_WITH_TTL = `
local value = redis.call('INCR', KEYS[1])
if value == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return value`;

export type RedisStoreOptions = {
  onError?: (error: Error) => void;
  /** Prepended to every key, so several stores (test files, say) can share one Redis database. */
  keyPrefix?: string;
};

// Short enough that an outage's 503 reaches the client within a second, wait and answer included.
const READY_WAIT_MS = 750;

/** Commands fail fast while Redis is down (no offline queue), so callers can answer 503 instead of hanging. */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): Store {
  const Redis = loadRedis();
  const redis: RedisClient = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    ...(options.keyPrefix !== undefined && { keyPrefix: options.keyPrefix }),
  });
  redis.on("error", (error: Error) => options.onError?.(error));
  // Without an offline queue a command sent while (re)connecting fails at once; wait up to READY_WAIT_MS for the
  // connection instead, so start-up and short blips are invisible and a real outage is a quick 503.
  let readyWait: Promise<void> | undefined;
  const whenReady = (): Promise<void> | undefined => {
    if (redis.status === "ready") return undefined;
    readyWait ??= new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off("ready", onReady);
        reject(new Error(`Redis is not ready (${redis.status})`));
      }, READY_WAIT_MS);
      redis.once("ready", onReady);
    }).finally(() => {
      readyWait = undefined;
    });
    return readyWait;
  };
  const run = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      await whenReady();
      return await command();
    } catch (cause) {
      throw new StoreUnavailableError("The store is unavailable", { cause });
    }
  };
  return {
    get: (key) => run(() => redis.get(key)),
    set: (key, value, ttlSeconds) => run(async () => void (await redis.set(key, value, "EX", ttlSeconds))),
    compareAndSet: (key, expected, value, ttlSeconds) =>
      run(async () => (await redis.eval(COMPARE_AND_SET, 1, key, expected, value, ttlSeconds)) === 1),
    incr: (key, ttlSeconds) => run(async () => Number(await redis.eval(INCR_WITH_TTL, 1, key, ttlSeconds))),
    ttl: (key) =>
      run(async () => {
        const seconds = await redis.ttl(key);
        return seconds < 0 ? null : Math.max(1, seconds);
      }),
    delete: (key) => run(async () => void (await redis.del(key))),
    hashSet: (key, field, value, ttlSeconds) =>
      run(async () => void (await redis.multi().hset(key, field, value).expire(key, ttlSeconds).exec())),
    hashGetAll: (key) => run(() => redis.hgetall(key)),
    hashDelete: (key, field) => run(async () => (await redis.hdel(key, field)) > 0),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
