// The host page keeps working when storage fails, and other tabs' events reach this tab's segments.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { createSegmint } from "../src/create";
import type { Segmint } from "../src/sdk";

const rules = {
  version: 1,
  metrics: { purchases: { count: "purchase" } },
  segments: [{ id: "buyer", when: { "metrics.purchases": { $gte: 1 } } }],
  experiences: [{ id: "thanks", segment: "buyer", changes: [{ selector: "h1", text: "Thanks for buying" }] }],
};
let instances: Segmint[] = [];
const start = () => {
  const sm = createSegmint({ rules });
  instances.push(sm);
  return sm;
};

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  document.body.innerHTML = "<h1>Welcome</h1>";
});
afterEach(() => {
  for (const sm of instances) sm.destroy();
  instances = [];
  vi.restoreAllMocks();
});

describe("storage failure", () => {
  it("IndexedDB missing: one SEGMINT_STORAGE_UNAVAILABLE, and personalization runs from memory", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const saved = globalThis.indexedDB;
    // @ts-expect-error -- a privacy mode without IndexedDB
    delete globalThis.indexedDB;
    try {
      const sm = start();
      const codes: string[] = [];
      sm.on("error", (e) => codes.push(e.code));
      await sm.ready;
      sm.track("purchase");
      await new Promise((r) => setTimeout(r, 10));
      expect(sm.segments()).toEqual(["buyer"]);
      expect(document.querySelector("h1")?.textContent).toBe("Thanks for buying");
      expect(codes).toEqual(["SEGMINT_STORAGE_UNAVAILABLE"]);
      expect(warn.mock.calls.filter((c) => String(c[0]).includes("SEGMINT_STORAGE_UNAVAILABLE"))).toHaveLength(1);
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

describe("two tabs", () => {
  it("an event recorded in one tab re-evaluates the other", async () => {
    const a = start();
    const b = start();
    await Promise.all([a.ready, b.ready]);
    const entered = new Promise<string>((resolve) => b.on("enter", resolve));
    a.track("purchase", { value: 20 });
    expect(await entered).toBe("buyer");
    expect(b.inSegment("buyer")).toBe(true);
  });
});
