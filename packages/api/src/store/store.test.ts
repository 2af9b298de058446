import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { createTestStore } from "../testing/index.js";
import { createMemoryStore, createRedisStore, StoreUnavailableError } from "./store.js";

const backend = process.env.REDIS_URL ? "redis" : "memory";

describe(`the store (${backend})`, () => {
  const store = createTestStore();
  afterAll(() => store.close());

  it("sets, gets and deletes", async () => {
    expect(await store.get("k1")).toBeNull();
    await store.set("k1", "v1", 60);
    expect(await store.get("k1")).toBe("v1");
    await store.delete("k1");
    expect(await store.get("k1")).toBeNull();
  });

  it("expires keys after their TTL", async () => {
    await store.set("short", "v", 1);
    expect(await store.ttl("short")).toBe(1);
    await sleep(2100);
    expect(await store.get("short")).toBeNull();
    expect(await store.ttl("short")).toBeNull();
  });

  it("counts with incr, keeping the TTL the first increment set", async () => {
    expect(await store.incr("counter", 1)).toBe(1);
    expect(await store.incr("counter", 100)).toBe(2);
    expect(await store.ttl("counter")).toBe(1);
    await sleep(2100);
    expect(await store.incr("counter", 60)).toBe(1);
  });

  it("compareAndSet replaces only the expected value, and exactly one of concurrent swaps wins", async () => {
    await store.set("cas", "a", 60);
    expect(await store.compareAndSet("cas", "b", "c", 60)).toBe(false);
    expect(await store.get("cas")).toBe("a");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.compareAndSet("cas", "a", `n${i}`, 60)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.compareAndSet("missing", "a", "b", 60)).toBe(false);
  });

  it("keeps hash fields: set, read all, delete one, delete the whole key", async () => {
    expect(await store.hashGetAll("h")).toEqual({});
    await store.hashSet("h", "a", "1", 60);
    await store.hashSet("h", "b", "2", 60);
    expect(await store.hashGetAll("h")).toEqual({ a: "1", b: "2" });
    expect(await store.ttl("h")).toBe(60);
    expect(await store.hashDelete("h", "a")).toBe(true);
    expect(await store.hashDelete("h", "a")).toBe(false);
    expect(await store.hashGetAll("h")).toEqual({ b: "2" });
    await store.delete("h");
    expect(await store.hashGetAll("h")).toEqual({});
  });
});

describe("the memory store's clock", () => {
  it("expires by its clock, without waiting", async () => {
    let now = 1_000_000;
    const store = createMemoryStore(() => now);
    await store.set("k", "v", 10);
    await store.incr("n", 10);
    now += 9_999;
    expect(await store.get("k")).toBe("v");
    expect(await store.ttl("n")).toBe(1);
    now += 1;
    expect(await store.get("k")).toBeNull();
    expect(await store.incr("n", 10)).toBe(1);
    await store.hashSet("h", "f", "v", 10);
    now += 10_000;
    expect(await store.hashGetAll("h")).toEqual({});
    await store.close();
  });
});

describe("a Redis store whose server is unreachable", () => {
  it("fails fast with StoreUnavailableError instead of hanging", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const store = createRedisStore("redis://127.0.0.1:1/0");
    await expect(store.get("k")).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.incr("k", 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close();
  });
});
