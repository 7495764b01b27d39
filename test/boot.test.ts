// The script tag's optional features (ARCHITECTURE.md "Script bundles"): offers and profiling are scripts beside
// segmint.min.js, fetched only for rules that use them; the runtime waits for them with the stored history, and one
// that cannot load is reported while the rest of the page is personalized as usual.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { boot } from "../src/boot";
import { createSegmintWith, type Segmint } from "../src/sdk";
import type { Feature } from "../src/features/types";

type TestWindow = Window & { segmint?: Segmint; segmintFeatures?: Record<string, Feature> };
const win = window as TestWindow;

const SEGMENTS = [{ id: "everyone", when: {} }];
const OFFER = {
  id: "exit", segment: "everyone", trigger: { exitIntent: {} },
  offer: { title: "Before you go", cta: { text: "Stay", href: "/stay" } },
};
const FIELDS = { fields: [{ name: "company" }, { name: "role" }], perForm: 1 };

function inlineRules(rules: object): void {
  const inline = document.createElement("script");
  inline.type = "application/json";
  inline.id = "segmint-rules";
  inline.textContent = JSON.stringify({ version: 1, segments: SEGMENTS, ...rules });
  document.head.append(inline);
}

function bootFrom(src: string): Segmint {
  const tag = document.createElement("script");
  tag.src = src;
  boot(win, tag);
  return win.segmint as Segmint;
}

const injected = () => Array.from(document.head.querySelectorAll("script[src]"), (s) => (s as HTMLScriptElement).src);

/** A feature that only records that it started, answering nextFields. */
function fakeFeature(started: string[], name: string): Feature {
  return { start: () => (started.push(name), { nextFields: (n) => [{ name: `asked-${n}` }] }) };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  sessionStorage.clear();
  document.head.innerHTML = "";
  document.body.innerHTML = "<h1>Hello</h1>";
});
afterEach(() => {
  win.segmint?.destroy?.();
  delete win.segmint;
  delete win.segmintFeatures;
  vi.useRealTimers();
});

describe("the script tag's feature bundles", () => {
  it("fetches nothing for rules without offers, waiting triggers or profiling fields", async () => {
    inlineRules({ experiences: [{ id: "hero", segment: "everyone", changes: [{ selector: "h1", text: "Hi" }] }] });
    const sm = bootFrom("https://cdn.example/assets/segmint.min.js");
    await sm.ready;
    expect(injected()).toEqual([]);
    expect(sm.segments()).toEqual(["everyone"]);
  });

  it("fetches each feature a rules file uses from beside segmint.min.js, and starts it before ready", async () => {
    inlineRules({ experiences: [OFFER], profiling: FIELDS });
    const sm = bootFrom("https://cdn.example/assets/segmint.min.js");
    expect(injected()).toEqual(["https://cdn.example/assets/segmint.offers.js", "https://cdn.example/assets/segmint.profiling.js"]);
    const started: string[] = [];
    win.segmintFeatures = { offers: fakeFeature(started, "offers"), profiling: fakeFeature(started, "profiling") };
    for (const tag of document.head.querySelectorAll("script[src]")) tag.dispatchEvent(new Event("load"));
    await sm.ready;
    expect(started).toEqual(["offers", "profiling"]);
    expect(sm.nextFields(2)).toEqual([{ name: "asked-2" }]);
  });

  it("an experience that waits for time or scroll fetches the offers bundle, which watches those triggers", async () => {
    inlineRules({ experiences: [{ id: "late", segment: "everyone", trigger: { afterSeconds: 3 }, changes: [{ selector: "h1", text: "Hi" }] }] });
    bootFrom("https://cdn.example/segmint.min.js");
    expect(injected()).toEqual(["https://cdn.example/segmint.offers.js"]);
  });

  it("a bundle that does not load is reported once; ready still resolves and the rest runs", async () => {
    inlineRules({ experiences: [OFFER, { id: "hero", segment: "everyone", changes: [{ selector: "h1", text: "Hi" }] }] });
    const errors: string[] = [];
    const sm = bootFrom("https://cdn.example/segmint.min.js");
    sm.on("error", ({ code }) => errors.push(code));
    document.head.querySelector("script[src]")?.dispatchEvent(new Event("error"));
    await sm.ready;
    expect(errors).toEqual(["SEGMINT_FEATURE_UNAVAILABLE"]);
    expect(document.querySelector("h1")?.textContent).toBe("Hi");
  });

  it("a bundle that never answers counts as failed after 5 s", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    inlineRules({ profiling: FIELDS });
    const errors: string[] = [];
    const sm = bootFrom("https://cdn.example/segmint.min.js");
    sm.on("error", ({ code }) => errors.push(code));
    await vi.advanceTimersByTimeAsync(5000);
    vi.useRealTimers();
    await sm.ready;
    // (IndexedDB's open time-out, 3 s, may be reported too: fake-indexeddb answers on timers.)
    expect(errors.filter((code) => code === "SEGMINT_FEATURE_UNAVAILABLE")).toHaveLength(1);
    expect(sm.segments()).toEqual(["everyone"]);
  });
});

describe("createSegmintWith's feature sources", () => {
  it("asks each loader about the rules, and starts only the features it returns", async () => {
    const started: string[] = [];
    const asked = vi.fn((rules: { profiling: { fields: unknown[] } }) =>
      rules.profiling.fields.length ? Promise.resolve(fakeFeature(started, "lazy")) : undefined);
    const sm = createSegmintWith([fakeFeature(started, "built-in"), asked], { rules: { version: 1, profiling: FIELDS } });
    await sm.ready;
    expect(asked).toHaveBeenCalledOnce();
    expect(started).toEqual(["built-in", "lazy"]);
    sm.destroy();
  });
});
