// Experiences through the public API: triggers, holdout exposure, conversions and their attribution window,
// and the states experiences() reports.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { createSegmint } from "../src/create";
import type { Segmint } from "../src/sdk";

let instances: Segmint[] = [];
let clock = Date.UTC(2026, 10, 20, 12);
const DAY = 86_400_000;

function start(experiences: object[]): Segmint {
  const sm = createSegmint({ rules: { version: 1, experiences }, now: () => clock });
  instances.push(sm);
  return sm;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  clock = Date.UTC(2026, 10, 20, 12);
  document.body.innerHTML = `<h1>Original</h1><a id="cta" href="#buy">Buy</a>`;
});
afterEach(() => {
  for (const sm of instances) sm.destroy();
  instances = [];
  vi.useRealTimers();
});

const h1 = () => document.querySelector("h1")?.textContent;

describe("triggers", () => {
  it("afterSeconds applies the change only after that many seconds, reporting waiting until then", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const sm = start([{ id: "late", trigger: { afterSeconds: 3 }, changes: [{ selector: "h1", text: "Still here?" }] }]);
    await sm.ready;
    expect(h1()).toBe("Original");
    expect(sm.experiences()).toEqual([expect.objectContaining({ id: "late", state: "waiting" })]);
    vi.advanceTimersByTime(3000);
    expect(h1()).toBe("Still here?");
    expect(sm.experiences()).toEqual([expect.objectContaining({ id: "late", state: "applied" })]);
  });

  it("scrollDepth applies the change once the visitor has seen that share of the page", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    Object.defineProperty(document.documentElement, "scrollHeight", { value: 4000, configurable: true });
    const sm = start([{ id: "deep", trigger: { scrollDepth: 50 }, changes: [{ selector: "h1", text: "Deep reader" }] }]);
    await sm.ready;
    vi.advanceTimersByTime(10);
    expect(h1()).toBe("Original");
    Object.defineProperty(window, "scrollY", { value: 1500, configurable: true });
    window.dispatchEvent(new Event("scroll"));
    expect(h1()).toBe("Deep reader");
  });
});

describe("measurement", () => {
  it("a holdout visitor sees no change but is exposed as control", async () => {
    const sm = start([{ id: "hero", holdout: 1, changes: [{ selector: "h1", text: "New" }] }]);
    const exposures: Array<{ variant: string }> = [];
    sm.on("exposure", (e) => exposures.push(e));
    await sm.ready;
    expect(h1()).toBe("Original");
    expect(exposures).toEqual([expect.objectContaining({ experience: "hero", variant: "control" })]);
    expect(sm.experiences()).toEqual([expect.objectContaining({ id: "hero", state: "control", variant: "control" })]);
  });

  it("counts a goal as a conversion within attributionDays of the exposure, not after", async () => {
    const experience = { id: "hero", changes: [{ selector: "h1", text: "New" }], goals: [{ click: "#cta" }, { event: "signup" }], attributionDays: 7 };
    const sm = start([experience]);
    const conversions: Array<{ goal: string }> = [];
    sm.on("conversion", (c) => conversions.push(c));
    await sm.ready;
    (document.getElementById("cta") as HTMLElement).click();
    sm.track("signup");
    expect(conversions).toEqual([
      expect.objectContaining({ experience: "hero", variant: "treated", goal: "#cta" }),
      expect.objectContaining({ experience: "hero", variant: "treated", goal: "signup" }),
    ]);
    clock += 8 * DAY;
    sm.track("signup");
    expect(conversions).toHaveLength(2);
  });

  it("reports a change whose element is missing as waiting, and applies it when the element appears", async () => {
    const sm = start([{ id: "lazy", changes: [{ selector: ".later", text: "Found" }] }]);
    await sm.ready;
    expect(sm.experiences()).toEqual([expect.objectContaining({ id: "lazy", state: "waiting" })]);
    document.body.insertAdjacentHTML("beforeend", `<p class="later">x</p>`);
    await new Promise((r) => setTimeout(r, 0));
    expect(document.querySelector(".later")?.textContent).toBe("Found");
    expect(sm.experiences()).toEqual([expect.objectContaining({ id: "lazy", state: "applied" })]);
  });

  it("keeps applying changes when an on() listener throws", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const sm = start([{ id: "hero", changes: [{ selector: "h1", text: "New" }] }]);
    sm.on("exposure", () => {
      throw new Error("site bug");
    });
    await sm.ready;
    expect(h1()).toBe("New");
  });
});

describe("preview", () => {
  afterEach(() => {
    sessionStorage.clear();
    history.replaceState(null, "", "/");
  });

  it("?segmint_preview=<id> forces an experience for the rest of the tab, and an empty value ends it", async () => {
    const experiences = [{ id: "vip-hero", segment: "vip", changes: [{ selector: "h1", text: "VIP" }] }];
    const rules = { version: 1, segments: [{ id: "vip", when: { "traits.plan": "enterprise" } }], experiences };
    history.replaceState(null, "", "/?segmint_preview=vip-hero");
    let sm = createSegmint({ rules });
    instances.push(sm);
    await sm.ready;
    expect(h1()).toBe("VIP");
    sm.destroy();

    history.replaceState(null, "", "/pricing");
    sm = createSegmint({ rules });
    instances.push(sm);
    await sm.ready;
    expect(h1()).toBe("VIP");
    sm.destroy();

    history.replaceState(null, "", "/?segmint_preview=");
    sm = createSegmint({ rules });
    instances.push(sm);
    await sm.ready;
    expect(h1()).toBe("Original");
  });
});
