// The event log inside createStorage: per-event keys, batching, pruning into the archive, quota.
import { entries, get, set } from "idb-keyval";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/store/idb";
import { createStorage, isEvent, pruneCount, SEGMINT_STORAGE_UNAVAILABLE, type Fold } from "../../src/store/storage";
import { errors, ev, freshIndexedDB } from "./helpers";

const DAY = 864e5;
const count: Fold = (pruned, previous) => ({
  n: ((previous as { n: number } | undefined)?.n ?? 0) + pruned.length,
  ids: [...((previous as { ids: string[] } | undefined)?.ids ?? []), ...pruned.map((e) => e.id)],
});
/** What another page finds stored. */
const stored = () => createStorage().load();

beforeEach(() => {
  freshIndexedDB();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("event log", () => {
  it("stores each event under its own [t, id] key and loads them in time order", async () => {
    const storage = createStorage();
    storage.append(ev(30));
    storage.append(ev(10));
    storage.append(ev(20, "b"));
    storage.append(ev(20, "a"));
    await storage.flush();
    expect((await entries(openDatabase("segmint-events"))).map(([k]) => k)).toEqual([[10, "e10"], [20, "a"], [20, "b"], [30, "e30"]]);
    const loaded = await stored();
    expect(loaded.events.map((e) => e.id)).toEqual(["e10", "a", "b", "e30"]);
    expect(loaded.archive).toBeUndefined();
  });

  it("append() only queues: one coalesced write a task later, nothing on the calling path", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const put = vi.spyOn(IDBObjectStore.prototype, "put");
    const storage = createStorage();
    for (let i = 0; i < 5; i++) storage.append(ev(i));
    expect(put).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    await storage.flush(); // waits for the scheduled write
    expect(put).toHaveBeenCalledTimes(5);
    expect((await stored()).events).toHaveLength(5);
  });

  it("flush() with nothing queued waits for writes in flight", async () => {
    const storage = createStorage();
    storage.append(ev(1));
    let firstDone = false;
    const first = storage.flush().then(() => (firstDone = true));
    await storage.flush();
    expect(firstDone).toBe(true);
    await first;
    expect((await stored()).events).toHaveLength(1);
  });

  it("skips and counts corrupt values, keeps the rest", async () => {
    const db = openDatabase("segmint-events");
    await set([1, "x"], "not an object", db);
    await set([2, "y"], { id: "y", t: "2", type: "pageview" }, db);
    await set([3, "z"], { t: 3, type: "pageview" }, db);
    await set([4, "n"], null, db);
    await set(7, ev(7), db); // a key of the wrong kind
    await set([5, "ok"], ev(5, "ok"), db);
    const seen = errors();
    const loaded = await createStorage({ onError: seen.onError }).load();
    expect(loaded.events.map((e) => e.id)).toEqual(["ok"]);
    expect(seen.seen[0]!.message).toContain("5");
  });

  it("a scheduled write that fails is reported once; the events stay with this page", async () => {
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementationOnce(() => {
      throw new DOMException("nope", "DataError");
    });
    storage.append(ev(1));
    await vi.waitFor(() => expect(seen.seen).toHaveLength(1));
    expect(seen.codes()).toEqual([SEGMINT_STORAGE_UNAVAILABLE]);
    expect(storage.mode).toBe("memory");
    expect((await storage.load()).events).toEqual([ev(1)]);
  });
});

describe("pruning", () => {
  it("pruneCount: retention first, then maxEvents, then a share", () => {
    const times = [0, DAY, 2 * DAY, 3 * DAY, 4 * DAY];
    expect(pruneCount(times, { retentionDays: 2, maxEvents: 100, now: 4 * DAY })).toBe(2);
    expect(pruneCount(times, { retentionDays: 100, maxEvents: 2, now: 4 * DAY })).toBe(3);
    expect(pruneCount(times, { retentionDays: 100, maxEvents: 100, now: 4 * DAY }, 0.2)).toBe(1);
    expect(pruneCount(times, { retentionDays: 0, maxEvents: -5, now: 9 * DAY })).toBe(5);
  });

  it("by retention: deletes the older events and folds them into the archive", async () => {
    const storage = createStorage();
    const now = 100 * DAY;
    for (const d of [10, 50, 69, 71, 99]) storage.append(ev(d * DAY, `d${d}`));
    await storage.flush();
    await storage.prune({ retentionDays: 30, maxEvents: 1000, now, fold: count });
    const loaded = await stored();
    expect(loaded.events.map((e) => e.id)).toEqual(["d71", "d99"]);
    expect(loaded.archive).toEqual({ n: 3, ids: ["d10", "d50", "d69"] });
  });

  it("by maxEvents: keeps the newest, and folds again into the previous archive", async () => {
    const storage = createStorage();
    for (let i = 1; i <= 10; i++) storage.append(ev(i * 1000));
    await storage.flush();
    await storage.prune({ retentionDays: 400, maxEvents: 6, now: 11_000, fold: count });
    await storage.prune({ retentionDays: 400, maxEvents: 4, now: 11_000, fold: count });
    const loaded = await stored();
    expect(loaded.events.map((e) => e.t)).toEqual([7000, 8000, 9000, 10000]);
    expect(loaded.archive).toEqual({ n: 6, ids: ["e1000", "e2000", "e3000", "e4000", "e5000", "e6000"] });
  });

  it("nothing to prune: no fold, nothing written", async () => {
    const storage = createStorage();
    storage.append(ev(1));
    await storage.flush();
    const fold = vi.fn(count);
    await storage.prune({ retentionDays: 400, maxEvents: 10, now: 2, fold });
    expect(fold).not.toHaveBeenCalled();
    expect(await get("archive", openDatabase("segmint-events"))).toBeUndefined();
  });

  it("is atomic: when the archive cannot be written (or fold throws), nothing stored is deleted", async () => {
    const attempt = async (fold: Fold, beforePrune = () => {}) => {
      const storage = createStorage();
      for (let i = 1; i <= 5; i++) storage.append(ev(i));
      await storage.flush();
      beforePrune();
      await storage.prune({ retentionDays: 400, maxEvents: 2, now: 10, fold });
      expect(storage.mode).toBe("memory"); // the failed prune switched this page to its mirror
      vi.restoreAllMocks();
    };
    await attempt(count, () =>
      vi.spyOn(IDBObjectStore.prototype, "put").mockImplementationOnce(() => {
        throw new DOMException("full", "QuotaExceededError");
      }),
    );
    let calls = 0;
    // the mirror's fold succeeds, the stored log's throws
    await attempt((pruned, previous) => {
      if (calls++) throw new Error("bug");
      return count(pruned, previous);
    });
    const loaded = await stored();
    expect(loaded.events).toHaveLength(5);
    expect(loaded.archive).toBeUndefined();
  });

  it("another tab's prune between two reads cannot count an event twice (one read transaction)", async () => {
    const storage = createStorage();
    const other = createStorage();
    for (let i = 1; i <= 4; i++) storage.append(ev(i));
    await storage.flush();
    const [loaded] = await Promise.all([storage.load(), other.prune({ retentionDays: 400, maxEvents: 1, now: 5, fold: count })]);
    const inArchive = (loaded.archive as { ids: string[] } | undefined)?.ids ?? [];
    const ids = [...loaded.events.map((e) => e.id), ...inArchive];
    expect(ids.sort()).toEqual(["e1", "e2", "e3", "e4"]);
  });
});

describe("quota", () => {
  it("QuotaExceededError: drops the oldest 20% (folded with the last fold) and retries once", async () => {
    const storage = createStorage();
    for (let i = 1; i <= 10; i++) storage.append(ev(i));
    await storage.flush();
    await storage.prune({ retentionDays: 400, maxEvents: 1000, now: 11, fold: count });
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementationOnce(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    storage.append(ev(11));
    await storage.flush();
    const loaded = await stored();
    expect(loaded.events.map((e) => e.t)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(loaded.archive).toEqual({ n: 2, ids: ["e1", "e2"] });
    expect(storage.mode).toBe("indexeddb");
  });

  it("a quota prune before any prune() keeps the archive as it was", async () => {
    const storage = createStorage();
    for (let i = 1; i <= 10; i++) storage.append(ev(i));
    await storage.flush();
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementationOnce(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    storage.append(ev(11));
    await storage.flush();
    const loaded = await stored();
    expect(loaded.events.map((e) => e.t)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(loaded.archive).toBeUndefined();
  });
});

describe("isEvent", () => {
  it.each([
    [ev(1), true],
    [{ id: "a", t: 1, type: "x" }, true],
    [{ id: "a", t: NaN, type: "x" }, false],
    [{ id: 1, t: 1, type: "x" }, false],
    [[], false],
    ["a", false],
    [null, false],
  ])("%j → %s", (value, expected) => expect(isEvent(value)).toBe(expected));
});
