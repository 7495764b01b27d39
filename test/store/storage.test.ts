import { set } from "idb-keyval";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SegmintEvent } from "../../src/rules/types";
import { openDatabase } from "../../src/store/idb";
import { readRulesCache, writeRulesCache } from "../../src/store/rules-cache";
import { readSnapshot, writeSnapshot } from "../../src/store/snapshot";
import {
  createStorage,
  SEGMINT_STORAGE_CLOSED,
  SEGMINT_STORAGE_CORRUPT,
  SEGMINT_STORAGE_FULL,
  SEGMINT_STORAGE_TIMEOUT,
  SEGMINT_STORAGE_UNAVAILABLE,
  type Fold,
  type SegmintStorage,
} from "../../src/store/storage";
import { takeWriteAhead, writeAhead } from "../../src/store/write-ahead";
import { closeAbruptly, errors, ev, freshIndexedDB, trackConnections } from "./helpers";

type Traits = Record<string, unknown>;
const DAY = 864e5;
const count: Fold = (pruned, previous) => ((previous as number | undefined) ?? 0) + pruned.length;
const ids = (events: SegmintEvent[]) => events.map((e) => e.id);
const full = () => {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};

beforeEach(() => {
  freshIndexedDB();
  localStorage.clear();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

// What every failure test checks: nothing appended or set is lost, and the page keeps working from memory.
async function keepsWorkingFromMemory(storage: SegmintStorage, before: string[]) {
  storage.append(ev(1000, "after"));
  await storage.updateProfile<Traits>("traits", (t) => ({ ...t, after: true }));
  await expect(storage.flush()).resolves.toBeUndefined();
  const stored = await storage.load();
  expect(storage.mode).toBe("memory");
  expect(ids(stored.events)).toEqual([...before, "after"]);
  expect(stored.profile["traits"]).toMatchObject({ after: true });
}

describe("storage in IndexedDB", () => {
  it("two tabs append 200 events each, concurrently: all 400 are stored", async () => {
    const a = createStorage();
    const b = createStorage();
    for (let i = 0; i < 200; i++) {
      a.append(ev(i, `a${i}`));
      b.append(ev(i, `b${i}`));
    }
    await Promise.all([a.flush(), b.flush()]);
    const stored = await createStorage().load();
    expect(stored.events).toHaveLength(400);
    expect(new Set(ids(stored.events)).size).toBe(400);
    expect(a.mode).toBe("indexeddb");
  });

  it("two tabs update the same profile document concurrently: both changes are kept", async () => {
    const a = createStorage();
    const b = createStorage();
    await Promise.all([
      a.updateProfile<Traits>("traits", (t) => ({ ...t, plan: "pro" })),
      b.updateProfile<Traits>("traits", (t) => ({ ...t, role: "dev" })),
    ]);
    expect((await createStorage().load()).profile).toEqual({ traits: { plan: "pro", role: "dev" } });
    // each tab adopts the merged document on its next update
    expect(await a.updateProfile<Traits>("traits", (t) => ({ ...t, seen: 1 }))).toEqual({ plan: "pro", role: "dev", seen: 1 });
  });

  it("load() returns what other tabs stored plus this tab's events not yet written", async () => {
    const other = createStorage();
    other.append(ev(5, "theirs"));
    await other.flush();
    const mine = createStorage();
    mine.append(ev(1, "mine"));
    const loading = mine.load();
    mine.append(ev(9, "during"));
    expect(ids((await loading).events)).toEqual(["mine", "theirs", "during"]);
  });

  it("prune by retention and by maxEvents keeps the newest and stores the folded archive", async () => {
    const storage = createStorage();
    for (const d of [1, 2, 50, 80, 90, 95, 99]) storage.append(ev(d * DAY, `d${d}`));
    await storage.prune({ retentionDays: 30, maxEvents: 100, now: 100 * DAY, fold: count });
    let stored = await createStorage().load();
    expect(ids(stored.events)).toEqual(["d80", "d90", "d95", "d99"]);
    expect(stored.archive).toBe(3);
    await storage.prune({ retentionDays: 30, maxEvents: 2, now: 100 * DAY, fold: count });
    stored = await createStorage().load();
    expect(ids(stored.events)).toEqual(["d95", "d99"]);
    expect(stored.archive).toBe(5);
    // this tab's mirror agrees
    expect(await storage.load()).toEqual(stored);
  });

  it("a throwing fold or profile delta changes nothing and rejects nothing", async () => {
    const storage = createStorage();
    storage.append(ev(1));
    await storage.updateProfile("traits", () => ({ a: 1 }));
    const bug = () => {
      throw new Error("bug");
    };
    await expect(storage.prune({ retentionDays: 0, maxEvents: 0, now: 10, fold: bug })).resolves.toBeUndefined();
    await expect(storage.updateProfile("traits", bug)).resolves.toEqual({ a: 1 });
    const stored = await storage.load();
    expect(stored.events).toHaveLength(1);
    expect(stored.profile).toEqual({ traits: { a: 1 } });
    expect(storage.mode).toBe("indexeddb");
  });

  it("export() gives everything stored about the visitor", async () => {
    const storage = createStorage();
    await storage.updateProfile("visitor", () => ({ id: "v1" }));
    await storage.updateProfile("traits", () => ({ plan: "pro" }));
    storage.append(ev(1));
    // another tab's data is the visitor's too
    const other = createStorage();
    other.append(ev(2));
    await other.flush();
    expect(await storage.export()).toEqual({
      visitor: { id: "v1" },
      traits: { plan: "pro" },
      events: [ev(1), ev(2)],
      archive: undefined,
    });
  });
});

describe("clear()", () => {
  it("leaves no byte behind: both databases, snapshot, rules cache, write-ahead buffer", async () => {
    const storage = createStorage();
    storage.append(ev(1));
    await storage.updateProfile("traits", () => ({ plan: "pro" }));
    await storage.flush();
    writeSnapshot({ visitorId: "v1", segments: [], held: [], traits: {}, t: 1 });
    writeRulesCache("/r.json", { text: "{}", etag: '"x"' });
    writeAhead({ id: "p1", t: 1, seconds: 5 });
    storage.append(ev(2)); // queued, never to be written
    await storage.clear();
    expect(await indexedDB.databases()).toEqual([]);
    expect(localStorage.length).toBe(0);
    expect(readSnapshot()).toBeNull();
    expect(readRulesCache("/r.json")).toBeNull();
    expect(takeWriteAhead()).toEqual([]);
    expect(await storage.load()).toEqual({ events: [], archive: undefined, profile: {} });
    // and a new anonymous visitor starts from there
    storage.append(ev(3));
    await storage.flush();
    expect(ids((await createStorage().load()).events)).toEqual(["e3"]);
    expect(storage.mode).toBe("indexeddb");
  });

  it("forget while writes are in flight and queued: nothing from before survives", async () => {
    const storage = createStorage();
    storage.append(ev(1));
    const inFlight = storage.flush();
    storage.append(ev(2));
    const chained = storage.flush();
    storage.append(ev(3));
    await storage.clear();
    await Promise.all([inFlight, chained]);
    expect(await indexedDB.databases()).toEqual([]);
    expect(await createStorage().load()).toEqual({ events: [], archive: undefined, profile: {} });
  });

  it("in another tab: this tab steps aside (not blocked) and keeps working", async () => {
    const mine = createStorage({ timeoutMs: 60_000 });
    mine.append(ev(1));
    await mine.flush();
    const seen = errors();
    const theirs = createStorage({ timeoutMs: 60_000, onError: seen.onError });
    await theirs.load();
    await theirs.clear(); // would wait the full minute if this tab's connections blocked the delete
    expect(await indexedDB.databases()).toEqual([]);
    mine.append(ev(2));
    await mine.flush();
    expect(mine.mode).toBe("indexeddb");
    expect(seen.seen).toEqual([]);
  });

  it("in memory mode still deletes what an earlier page stored", async () => {
    const earlier = createStorage();
    earlier.append(ev(1));
    await earlier.flush();
    openDatabase("segmint-events").close();
    const memory = createStorage({ kind: "memory" });
    await memory.clear();
    expect(await createStorage().load()).toEqual({ events: [], archive: undefined, profile: {} });
  });
});

describe("memory kind", () => {
  it("never touches IndexedDB and works the same", async () => {
    const open = vi.spyOn(indexedDB, "open");
    const storage = createStorage({ kind: "memory" });
    expect(storage.mode).toBe("memory");
    for (let i = 1; i <= 5; i++) storage.append(ev(i));
    await storage.updateProfile<Traits>("traits", (t) => ({ ...t, a: 1 }));
    await storage.prune({ retentionDays: 400, maxEvents: 3, now: 6, fold: count });
    const stored = await storage.load();
    expect(ids(stored.events)).toEqual(["e3", "e4", "e5"]);
    expect(stored.archive).toBe(2);
    expect(stored.profile).toEqual({ traits: { a: 1 } });
    expect(open).not.toHaveBeenCalled();
  });
});

describe("failure modes: reported once, then memory, nothing lost", () => {
  it("indexedDB undefined → SEGMINT_STORAGE_UNAVAILABLE", async () => {
    vi.stubGlobal("indexedDB", undefined);
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    storage.append(ev(1, "before"));
    await storage.updateProfile("traits", () => ({ before: true }));
    await keepsWorkingFromMemory(storage, ["before"]);
    expect(seen.codes()).toEqual([SEGMINT_STORAGE_UNAVAILABLE]);
  });

  it("indexedDB getter throwing → SEGMINT_STORAGE_UNAVAILABLE", async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "indexedDB")!;
    Object.defineProperty(globalThis, "indexedDB", {
      configurable: true,
      get: () => {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
    try {
      const seen = errors();
      const storage = createStorage({ onError: seen.onError });
      storage.append(ev(1, "before"));
      await storage.load();
      await keepsWorkingFromMemory(storage, ["before"]);
      await expect(storage.clear()).resolves.toBeUndefined();
      expect(seen.codes()).toEqual([SEGMINT_STORAGE_UNAVAILABLE]);
      expect(seen.seen[0]!.message).toContain("insecure");
    } finally {
      Object.defineProperty(globalThis, "indexedDB", descriptor);
    }
  });

  it("open never answering → SEGMINT_STORAGE_TIMEOUT after timeoutMs (default 3000)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    vi.spyOn(indexedDB, "open").mockReturnValue({} as IDBOpenDBRequest);
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    storage.append(ev(1, "before"));
    let loaded = false;
    const loading = storage.load().then((s) => ((loaded = true), s));
    await vi.advanceTimersByTimeAsync(2999);
    expect(loaded).toBe(false);
    expect(storage.mode).toBe("indexeddb");
    await vi.advanceTimersByTimeAsync(1);
    expect(ids((await loading).events)).toEqual(["before"]);
    expect(storage.mode).toBe("memory");
    await keepsWorkingFromMemory(storage, ["before"]);
    expect(seen.codes()).toEqual([SEGMINT_STORAGE_TIMEOUT]);
  });

  it("connection closing mid-session: reopened once; the second close → SEGMINT_STORAGE_CLOSED", async () => {
    const opened = trackConnections();
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    storage.append(ev(1, "one"));
    await storage.flush();
    closeAbruptly(opened.get("segmint-events")![0]);
    storage.append(ev(2, "two"));
    await storage.flush();
    expect(storage.mode).toBe("indexeddb");
    expect(seen.seen).toEqual([]);
    expect(ids((await createStorage().load()).events)).toEqual(["one", "two"]);
    closeAbruptly(opened.get("segmint-events")![1]);
    storage.append(ev(3, "three"));
    await storage.flush();
    await keepsWorkingFromMemory(storage, ["one", "two", "three"]);
    expect(seen.codes()).toEqual([SEGMINT_STORAGE_CLOSED]);
  });

  it("QuotaExceededError once: prunes the oldest 20% into the archive, retries, no report", async () => {
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    for (let i = 1; i <= 10; i++) storage.append(ev(i));
    await storage.prune({ retentionDays: 400, maxEvents: 100, now: 11, fold: count });
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementationOnce(full);
    storage.append(ev(11));
    await storage.flush();
    const stored = await createStorage().load();
    expect(stored.events.map((e) => e.t)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(stored.archive).toBe(2);
    expect(storage.mode).toBe("indexeddb");
    expect(seen.seen).toEqual([]);
  });

  it("QuotaExceededError that pruning cannot fix → SEGMINT_STORAGE_FULL, the queued events kept", async () => {
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    storage.append(ev(1, "stored"));
    await storage.flush();
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(full);
    storage.append(ev(2, "queued"));
    await vi.waitFor(() => expect(storage.mode).toBe("memory")); // the scheduled write failed
    await keepsWorkingFromMemory(storage, ["stored", "queued"]);
    expect(seen.codes()).toEqual([SEGMINT_STORAGE_FULL]);
  });

  it("corrupt stored values → one SEGMINT_STORAGE_CORRUPT, skipped, the rest kept, still in IndexedDB", async () => {
    const events = openDatabase("segmint-events");
    const profile = openDatabase("segmint-profile");
    await set([1, "bad"], "garbage", events);
    await set([2, "ok"], ev(2, "ok"), events);
    await set([3, "partial"], { id: "partial", t: 3 }, events);
    await set("traits", { v: 1, data: { plan: "pro" } }, profile);
    await set("visitor", 42, profile);
    events.close();
    profile.close();
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    const stored = await storage.load();
    expect(ids(stored.events)).toEqual(["ok"]);
    expect(stored.profile).toEqual({ traits: { plan: "pro" } });
    await storage.load();
    expect(seen.codes()).toEqual([SEGMINT_STORAGE_CORRUPT]);
    expect(seen.seen[0]!.message).toContain("3");
    expect(storage.mode).toBe("indexeddb");
  });

  it("an onError that throws does not escape", async () => {
    vi.stubGlobal("indexedDB", undefined);
    const storage = createStorage({
      onError: () => {
        throw new Error("host bug");
      },
    });
    storage.append(ev(1));
    await expect(storage.load()).resolves.toMatchObject({ events: [ev(1)] });
  });
});
