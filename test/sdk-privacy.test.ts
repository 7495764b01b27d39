// Consent, Global Privacy Control, export() and forget() through the public API (jsdom + fake-indexeddb).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { createSegmint } from "../src/create";
import type { Segmint } from "../src/sdk";

const rules = { version: 1, segments: [{ id: "seen-before", when: { "visitor.pageviews": { $gte: 2 } } }] };
let instances: Segmint[] = [];

function start(options: Parameters<typeof createSegmint>[0] = {}): Segmint {
  const sm = createSegmint({ rules, ...options });
  instances.push(sm);
  return sm;
}

async function databases(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name as string).sort();
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  Object.defineProperty(navigator, "globalPrivacyControl", { value: undefined, configurable: true });
});
afterEach(() => {
  for (const sm of instances) sm.destroy();
  instances = [];
});

describe("consent", () => {
  it("pending stores nothing anywhere, then granted persists what was buffered", async () => {
    const sm = start({ consent: "pending" });
    await sm.ready;
    sm.track("signup", { plan: "pro" });
    sm.setTraits({ company: "Acme" });
    await new Promise((r) => setTimeout(r, 20));
    expect(await databases()).toEqual([]);
    expect(Object.keys(localStorage)).toEqual([]);

    sm.consent("granted");
    await new Promise((r) => setTimeout(r, 50));
    sm.destroy();
    const data = (await (await readerReady()).export()) as { events: Array<{ type: string }>; traits: Record<string, unknown> };
    expect(data.events.map((e) => e.type)).toEqual(expect.arrayContaining(["pageview", "signup"]));
    expect(data.traits).toMatchObject({ company: "Acme" });
  });

  it("denied keeps everything in memory only, and the page still works", async () => {
    const sm = start({ consent: "denied" });
    await sm.ready;
    sm.track("signup");
    await new Promise((r) => setTimeout(r, 20));
    expect(sm.context()?.visitor.pageviews).toBe(1);
    expect(await databases()).toEqual([]);
    expect(Object.keys(localStorage)).toEqual([]);
  });

  it("withdrawn (granted, then denied): nothing written from then on, what was stored stays until forget()", async () => {
    const sm = start({ consent: "granted" });
    await sm.ready;
    sm.track("before");
    await new Promise((r) => setTimeout(r, 50));
    sm.consent("denied");
    sm.track("after");
    sm.setTraits({ company: "Acme" });
    await new Promise((r) => setTimeout(r, 50));
    expect(sm.context()?.traits).toEqual({ company: "Acme" });
    sm.destroy();
    const data = (await (await readerReady()).export()) as { events: Array<{ type: string }>; traits: Record<string, unknown> };
    expect(data.events.map((e) => e.type)).toContain("before");
    expect(data.events.map((e) => e.type)).not.toContain("after");
    expect(data.traits).toEqual({});
  });

  it("Global Privacy Control means denied, whatever the site or the rules say", async () => {
    Object.defineProperty(navigator, "globalPrivacyControl", { value: true, configurable: true });
    const sm = start({ consent: "granted" });
    await sm.ready;
    await new Promise((r) => setTimeout(r, 20));
    expect(await databases()).toEqual([]);
  });

  it("the rules file's tracking.consent is the default when the site says nothing", async () => {
    const sm = createSegmint({ rules: { ...rules, tracking: { consent: "pending" } } });
    instances.push(sm);
    await sm.ready;
    await new Promise((r) => setTimeout(r, 20));
    expect(await databases()).toEqual([]);
  });
});

async function readerReady(): Promise<Segmint> {
  const sm = start();
  await sm.ready;
  return sm;
}

describe("export() and forget()", () => {
  it("export() returns every stored event, the traits and the visitor", async () => {
    const sm = start();
    await sm.ready;
    sm.track("purchase", { value: 10 });
    sm.setTraits({ role: "developer" });
    const data = (await sm.export()) as { events: Array<{ type: string }>; traits: object; visitor: { id: string } };
    await new Promise((r) => setTimeout(r, 20));
    const again = (await sm.export()) as typeof data;
    expect(again.events.map((e) => e.type)).toEqual(expect.arrayContaining(["pageview", "purchase"]));
    expect(again.traits).toEqual({ role: "developer" });
    expect(again.visitor.id).toBe(sm.context()?.visitor.id);
  });

  it("forget() erases the visitor's stored data and starts a new anonymous visitor", async () => {
    const sm = start();
    await sm.ready;
    const before = sm.context()?.visitor.id;
    sm.setTraits({ email: "ada@example.com" });
    sm.track("purchase", { value: 10 });
    await new Promise((r) => setTimeout(r, 20));
    await sm.forget();
    await new Promise((r) => setTimeout(r, 20));
    const data = (await sm.export()) as { events: Array<{ type: string }>; traits?: object; visitor: { id: string } };
    expect(data.visitor.id).not.toBe(before);
    expect(data.events.map((e) => e.type)).not.toContain("purchase");
    expect(JSON.stringify(data)).not.toContain("ada@example.com");
    expect(JSON.stringify({ ...localStorage })).not.toContain("ada@example.com");
    expect(JSON.stringify({ ...localStorage })).not.toContain(before);
    expect(sm.context()?.visitor.pageviews).toBe(1);
  });
});

describe("without rules", () => {
  it("forget() still erases what an earlier page stored, and export() still reads it", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const first = start();
    await first.ready;
    first.setTraits({ email: "ada@example.com" });
    await new Promise((r) => setTimeout(r, 20));
    first.destroy();
    const broken = createSegmint({ rules: { version: 2 } });
    instances.push(broken);
    await broken.ready;
    expect(broken.experiences()).toEqual([]);
    expect(JSON.stringify(await broken.export())).toContain("ada@example.com");
    await broken.forget();
    expect(await databases()).toEqual([]);
    expect(JSON.stringify({ ...localStorage })).not.toContain("ada@example.com");
  });
});
