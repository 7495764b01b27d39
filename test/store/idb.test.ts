import { clear, delMany, entries, get, set, setMany, update } from "idb-keyval";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deleteDatabase, openDatabase } from "../../src/store/idb";
import { closeAbruptly, freshIndexedDB, trackConnections } from "./helpers";

beforeEach(() => {
  freshIndexedDB();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("openDatabase", () => {
  it("works with idb-keyval's functions, in its own database (never keyval-store)", async () => {
    const db = openDatabase("segmint-test");
    await set("a", 1, db);
    await setMany([["b", 2], ["c", 3]], db);
    await update("a", (v: number | undefined) => (v ?? 0) + 10, db);
    await delMany(["c"], db);
    expect(await get("a", db)).toBe(11);
    expect(await entries(db)).toEqual([["a", 11], ["b", 2]]);
    await clear(db);
    expect(await entries(db)).toEqual([]);
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).toEqual(["segmint-test"]);
  });

  it("opens nothing until first used", async () => {
    const open = vi.spyOn(indexedDB, "open");
    const db = openDatabase("lazy");
    expect(open).not.toHaveBeenCalled();
    await get("x", db);
    await get("y", db);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("rejects when indexedDB is undefined or its getter throws", async () => {
    vi.stubGlobal("indexedDB", undefined);
    await expect(get("x", openDatabase("gone"))).rejects.toBeInstanceOf(TypeError);
    vi.unstubAllGlobals();
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "indexedDB")!;
    Object.defineProperty(globalThis, "indexedDB", {
      configurable: true,
      get: () => {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
    try {
      await expect(get("x", openDatabase("denied"))).rejects.toMatchObject({ name: "SecurityError" });
    } finally {
      Object.defineProperty(globalThis, "indexedDB", descriptor);
    }
  });

  it("times out an open that never answers, and closes it if it answers late", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const request = {} as IDBOpenDBRequest & { result: { close: () => void } };
    vi.spyOn(indexedDB, "open").mockReturnValue(request);
    const pending = get("x", openDatabase("hang", { timeoutMs: 500 }));
    const outcome = expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
    await vi.advanceTimersByTimeAsync(499);
    let settled = false;
    void pending.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
    const close = vi.fn();
    Object.defineProperty(request, "result", { value: { close } });
    request.onsuccess!.call(request, new Event("success"));
    expect(close).toHaveBeenCalled();
  });

  it("reopens once after the browser closes the connection (close event)", async () => {
    const opened = trackConnections();
    const db = openDatabase("closing");
    await set("a", 1, db);
    closeAbruptly(opened.get("closing")![0]);
    await set("b", 2, db);
    expect(await entries(db)).toEqual([["a", 1], ["b", 2]]);
    expect(opened.get("closing")).toHaveLength(2);
    closeAbruptly(opened.get("closing")![1]);
    await expect(get("a", db)).rejects.toMatchObject({ name: "ClosedError" });
  });

  it("reopens once after a silent close (Safari: the next transaction throws InvalidStateError)", async () => {
    const opened = trackConnections();
    const db = openDatabase("silent");
    await set("a", 1, db);
    opened.get("silent")![0]!.close();
    expect(await get("a", db)).toBe(1);
    opened.get("silent")![1]!.close();
    await expect(get("a", db)).rejects.toMatchObject({ name: "ClosedError" });
  });

  it("steps aside on versionchange so another tab can delete, then reopens without counting it as a close", async () => {
    const db = openDatabase("shared");
    await set("a", 1, db);
    await deleteDatabase("shared", 60_000); // would hang until the time-out if the connection blocked it
    expect(await indexedDB.databases()).toEqual([]);
    await set("b", 2, db);
    expect(await entries(db)).toEqual([["b", 2]]);
    // two versionchanges, still fine: only the browser's closes count
    await deleteDatabase("shared", 60_000);
    expect(await get("b", db)).toBeUndefined();
  });

  it("close() lets this tab delete its own database", async () => {
    const db = openDatabase("mine");
    await set("a", 1, db);
    db.close();
    await deleteDatabase("mine", 60_000);
    expect(await indexedDB.databases()).toEqual([]);
  });
});

describe("deleteDatabase", () => {
  it("resolves when indexedDB is missing", async () => {
    vi.stubGlobal("indexedDB", undefined);
    await expect(deleteDatabase("x")).resolves.toBeUndefined();
  });

  it("resolves after the time-out when another connection blocks it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const request = {} as IDBOpenDBRequest;
    vi.spyOn(indexedDB, "deleteDatabase").mockReturnValue(request);
    let done = false;
    const deleting = deleteDatabase("held", 1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await deleting;
    expect(done).toBe(true);
  });
});
