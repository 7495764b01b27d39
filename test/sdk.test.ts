// createSegmint end to end in jsdom + fake-indexeddb: what a site sees through the public API.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { createSegmint } from "../src/create";
import type { Segmint } from "../src/sdk";

const rules = {
  version: 1,
  metrics: { pricingViews: { count: "pageview", where: { path: { $regex: "^/pricing" } } } },
  segments: [
    { id: "seen-before", when: { "visitor.pageviews": { $gte: 2 } } },
    { id: "buyer", when: { "metrics.purchases": { $gte: 1 } } },
    { id: "vip", when: { "traits.plan": "enterprise" } },
  ],
  experiences: [
    {
      id: "hero",
      segment: "seen-before",
      changes: [{ selector: "#hero h1", text: "Welcome back, {{traits.firstName|friend}}!" }],
    },
  ],
};
const withPurchases = { ...rules, metrics: { ...rules.metrics, purchases: { count: "purchase" } } };

let instances: Segmint[] = [];
function start(options: Parameters<typeof createSegmint>[0] = {}): Segmint {
  const sm = createSegmint({ rules: withPurchases, ...options });
  instances.push(sm);
  return sm;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  document.documentElement.className = "";
  document.body.innerHTML = `<section id="hero"><h1>Automate the busywork</h1></section><p>after</p>`;
});
afterEach(() => {
  for (const sm of instances) sm.destroy();
  instances = [];
});

async function reload(options: Parameters<typeof createSegmint>[0] = {}): Promise<Segmint> {
  const previous = instances.pop();
  previous?.destroy();
  document.body.innerHTML = `<section id="hero"><h1>Automate the busywork</h1></section><p>after</p>`;
  const sm = start(options);
  await sm.ready;
  return sm;
}

describe("createSegmint", () => {
  it("records a page view and leaves a first-time visitor's page alone", async () => {
    const sm = start();
    await sm.ready;
    expect(sm.context()?.visitor.pageviews).toBe(1);
    expect(sm.context()?.visitor.sessions).toBe(1);
    expect(sm.segments()).toEqual([]);
    expect(document.querySelector("#hero h1")?.textContent).toBe("Automate the busywork");
  });

  it("personalizes the second visit from history kept in IndexedDB", async () => {
    await start().ready;
    const sm = await reload();
    expect(sm.context()?.visitor.pageviews).toBe(2);
    expect(sm.segments()).toEqual(["seen-before"]);
    expect(document.querySelector("#hero h1")?.textContent).toBe("Welcome back, friend!");
    expect(document.documentElement.classList.contains("sm-seen-before")).toBe(true);
  });

  it("reflects track() by the next microtask and emits enter", async () => {
    const sm = start();
    await sm.ready;
    const entered: string[] = [];
    sm.on("enter", (id) => entered.push(id));
    sm.track("purchase", { value: 49 });
    await Promise.resolve();
    await Promise.resolve();
    expect(sm.context()?.metrics.purchases).toBe(1);
    expect(sm.segments()).toContain("buyer");
    expect(entered).toEqual(["buyer"]);
  });

  it("renders traits into text tokens as text, never HTML", async () => {
    await start().ready;
    const sm = await reload();
    sm.setTraits({ firstName: "<img src=x onerror=alert(1)>" });
    await Promise.resolve();
    const h1 = document.querySelector("#hero h1") as HTMLElement;
    expect(h1.textContent).toBe("Welcome back, <img src=x onerror=alert(1)>!");
    expect(h1.querySelector("img")).toBeNull();
  });

  it("keeps the traits that data-segmint-text reads in the snapshot, also on pages without that attribute", async () => {
    document.body.insertAdjacentHTML("beforeend", `<p data-segmint-text="{{traits.company|your team}}">…</p>`);
    const sm = start();
    await sm.ready;
    sm.setTraits({ company: "Acme", plan: "pro" });
    await Promise.resolve();
    const snapshotTraits = () => JSON.parse(localStorage.getItem("segmint:snapshot") ?? "{}").traits;
    expect(snapshotTraits()).toEqual({ company: "Acme" });
    await reload(); // this page has no data-segmint-text; the next one may again
    expect(snapshotTraits()).toEqual({ company: "Acme" });
  });

  it("applies trait segments on the same page view", async () => {
    const sm = start();
    await sm.ready;
    sm.setTraits({ plan: "enterprise" });
    await Promise.resolve();
    expect(sm.inSegment("vip")).toBe(true);
  });

  it("undoes its changes on destroy", async () => {
    await start().ready;
    const sm = await reload();
    expect(document.querySelector("#hero h1")?.textContent).toBe("Welcome back, friend!");
    sm.destroy();
    expect(document.querySelector("#hero h1")?.textContent).toBe("Automate the busywork");
    expect(document.documentElement.classList.contains("sm-seen-before")).toBe(false);
  });

  it("queues calls made before ready", async () => {
    const sm = start();
    sm.track("purchase", { value: 10 });
    await sm.ready;
    await Promise.resolve();
    expect(sm.context()?.metrics.purchases).toBe(1);
  });

  it("rejects invalid rules without touching the page, with one warning and a stable code", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const errors: string[] = [];
    const sm = createSegmint({ rules: { version: 1, segments: [{ id: "Bad Id", when: {} }] } });
    instances.push(sm);
    sm.on("error", (e) => errors.push(e.code));
    await sm.ready;
    expect(sm.segments()).toEqual([]);
    expect(document.querySelector("#hero h1")?.textContent).toBe("Automate the busywork");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain("SEGMINT_RULES_INVALID");
    warn.mockRestore();
  });

  it("never throws when a listener throws, and still emits to the others", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sm = start();
    const seen: string[] = [];
    sm.on("ready", () => {
      throw new Error("site bug");
    });
    sm.on("ready", () => seen.push("second"));
    await sm.ready;
    expect(seen).toEqual(["second"]);
    warn.mockRestore();
  });

  it("is inert outside a browser-like environment's rules (no rules anywhere)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sm = createSegmint();
    instances.push(sm);
    await sm.ready;
    expect(sm.segments()).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
