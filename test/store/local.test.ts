// snapshot.ts, rules-cache.ts and write-ahead.ts: synchronous, and tolerant of every way localStorage fails.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearRulesCache, readRulesCache, RULES_CACHE_MAX, writeRulesCache } from "../../src/store/rules-cache";
import { clearSnapshot, readSnapshot, writeSnapshot, type Snapshot } from "../../src/store/snapshot";
import { clearWriteAhead, dropWriteAhead, takeWriteAhead, writeAhead } from "../../src/store/write-ahead";

const snap: Omit<Snapshot, "v"> = { visitorId: "v1", segments: ["returning"], held: ["exit-discount"], traits: { firstName: "Ada" }, t: 5 };

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

// Every way localStorage fails in real browsers: missing, throwing on access (storage blocked), full.
const failures: [string, () => () => void][] = [
  ["missing", () => (vi.stubGlobal("localStorage", undefined), () => {})],
  [
    "throwing on access",
    () => {
      const descriptor = Object.getOwnPropertyDescriptor(globalThis, "localStorage")!;
      Object.defineProperty(globalThis, "localStorage", {
        configurable: true,
        get: () => {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
      return () => Object.defineProperty(globalThis, "localStorage", descriptor);
    },
  ],
  [
    "full",
    () => {
      vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
        throw new DOMException("full", "QuotaExceededError");
      });
      return () => {};
    },
  ],
];

describe("snapshot", () => {
  it("round-trips under segmint:snapshot with v: 1", () => {
    expect(writeSnapshot(snap)).toBe(true);
    expect(JSON.parse(localStorage.getItem("segmint:snapshot")!)).toEqual({ ...snap, v: 1 });
    expect(readSnapshot()).toEqual({ ...snap, v: 1 });
    clearSnapshot();
    expect(readSnapshot()).toBeNull();
  });

  it.each([
    ["not JSON", "{oops"],
    ["JSON null", "null"],
    ["a number", "5"],
    ["another version", JSON.stringify({ ...snap, v: 2 })],
    ["segments not strings", JSON.stringify({ ...snap, v: 1, segments: [1] })],
    ["traits an array", JSON.stringify({ ...snap, v: 1, traits: [] })],
    ["no visitor id", JSON.stringify({ ...snap, v: 1, visitorId: undefined })],
    ["no time", JSON.stringify({ ...snap, v: 1, t: "5" })],
  ])("reads %s as null", (_name, raw) => {
    localStorage.setItem("segmint:snapshot", raw);
    expect(readSnapshot()).toBeNull();
  });

  it.each(failures)("localStorage %s: never throws", (_name, fail) => {
    const restore = fail();
    try {
      expect(writeSnapshot(snap)).toBe(false);
      expect(readSnapshot()).toBeNull();
      expect(() => clearSnapshot()).not.toThrow();
    } finally {
      restore();
    }
  });
});

describe("rules cache", () => {
  it("keeps the text with its validators, for that URL only", () => {
    expect(writeRulesCache("/a.json", { text: '{"version":1}', etag: '"abc"', lastModified: "Tue, 01 Dec 2026 00:00:00 GMT" })).toBe(true);
    expect(readRulesCache("/a.json")).toMatchObject({ text: '{"version":1}', etag: '"abc"', lastModified: "Tue, 01 Dec 2026 00:00:00 GMT" });
    expect(readRulesCache("/b.json")).toBeNull();
    writeRulesCache("/b.json", { text: "{}" });
    expect(readRulesCache("/a.json")).toBeNull(); // one entry: bounded
    expect(readRulesCache("/b.json")).toMatchObject({ text: "{}" });
    clearRulesCache();
    expect(readRulesCache("/b.json")).toBeNull();
  });

  it("skips texts over the bound, and drops the stale entry for that URL", () => {
    writeRulesCache("/a.json", { text: "{}" });
    expect(writeRulesCache("/a.json", { text: "x".repeat(RULES_CACHE_MAX + 1) })).toBe(false);
    expect(readRulesCache("/a.json")).toBeNull();
  });

  it("reads malformed entries as null", () => {
    localStorage.setItem("segmint:rules", JSON.stringify({ url: "/a.json", text: 5 }));
    expect(readRulesCache("/a.json")).toBeNull();
    localStorage.setItem("segmint:rules", JSON.stringify({ url: "/a.json", text: "{}", etag: 1 }));
    expect(readRulesCache("/a.json")).toBeNull();
    localStorage.setItem("segmint:rules", "{oops");
    expect(readRulesCache("/a.json")).toBeNull();
  });

  it.each(failures)("localStorage %s: never throws", (_name, fail) => {
    const restore = fail();
    try {
      expect(writeRulesCache("/a.json", { text: "{}" })).toBe(false);
      expect(readRulesCache("/a.json")).toBeNull();
      expect(() => clearRulesCache()).not.toThrow();
    } finally {
      restore();
    }
  });
});

describe("write-ahead buffer", () => {
  it("replaces a record by id, and take() reads and clears", () => {
    writeAhead({ id: "p1", t: 1, seconds: 5 });
    writeAhead({ id: "p1", t: 2, seconds: 10 });
    writeAhead({ id: "p2", t: 3, seconds: 1 });
    expect(takeWriteAhead()).toEqual([
      { id: "p1", t: 2, seconds: 10 },
      { id: "p2", t: 3, seconds: 1 },
    ]);
    expect(takeWriteAhead()).toEqual([]);
    expect(localStorage.getItem("segmint:wal")).toBeNull();
  });

  it("take(before) leaves records another live tab is still updating", () => {
    writeAhead({ id: "dead", t: 1_000, seconds: 5 });
    writeAhead({ id: "live", t: 9_000, seconds: 5 });
    expect(takeWriteAhead(5_000).map((r) => r.id)).toEqual(["dead"]);
    expect(takeWriteAhead().map((r) => r.id)).toEqual(["live"]);
  });

  it("take(before) takes a record marked final (its page ended) however recent", () => {
    writeAhead({ id: "ended", t: 9_000, final: true, seconds: 5 });
    writeAhead({ id: "live", t: 9_000, seconds: 5 });
    expect(takeWriteAhead(5_000).map((r) => r.id)).toEqual(["ended"]);
    expect(takeWriteAhead().map((r) => r.id)).toEqual(["live"]);
  });

  it("drop() removes one record; clear() all", () => {
    writeAhead({ id: "p1", t: 1 });
    writeAhead({ id: "p2", t: 1 });
    dropWriteAhead("p1");
    expect(takeWriteAhead().map((r) => r.id)).toEqual(["p2"]);
    writeAhead({ id: "p3", t: 1 });
    clearWriteAhead();
    expect(takeWriteAhead()).toEqual([]);
  });

  it("is bounded: keeps the 20 most recently written", () => {
    for (let i = 0; i < 30; i++) writeAhead({ id: `p${i}`, t: i });
    const kept = takeWriteAhead();
    expect(kept).toHaveLength(20);
    expect(kept[0]!.id).toBe("p10");
  });

  it("skips malformed records and corrupt JSON", () => {
    localStorage.setItem("segmint:wal", JSON.stringify([{ id: "ok", t: 1 }, { id: 2, t: 1 }, null, "x", { id: "no-t" }]));
    expect(takeWriteAhead()).toEqual([{ id: "ok", t: 1 }]);
    localStorage.setItem("segmint:wal", "{oops");
    expect(takeWriteAhead()).toEqual([]);
  });

  it.each(failures)("localStorage %s: never throws", (_name, fail) => {
    const restore = fail();
    try {
      expect(writeAhead({ id: "p1", t: 1 })).toBe(false);
      expect(takeWriteAhead()).toEqual([]);
      expect(() => dropWriteAhead("p1")).not.toThrow();
      expect(() => clearWriteAhead()).not.toThrow();
    } finally {
      restore();
    }
  });
});
