// The runtime side of the debug panel: what opens it, what it is lent, and the QA switch that forces a segment
// in this tab only. (The panel itself is tested in test/debug/.)
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { createSegmintWith, type DebugHandle, type DebugLoader, type Segmint } from "../src/sdk";
import { createSegmint } from "../src/create";

let instances: Segmint[] = [];
const clock = Date.UTC(2026, 10, 20, 12);
const RULES = {
  version: 1,
  segments: [
    { id: "pricing-fan", when: { "metrics.pricing": { $gte: 3 } }, stickyDays: 7 },
    { id: "fan-returning", when: { segments: "pricing-fan" } },
  ],
  metrics: { pricing: { count: "pageview", where: { path: "/pricing" } } },
  experiences: [{ id: "hero", segment: "pricing-fan", changes: [{ selector: "h1", text: "Plans for you" }] }],
};

function start(loader?: DebugLoader, options: object = {}): Segmint {
  const sm = createSegmintWith([], { rules: RULES, now: () => clock, ...options }, loader);
  instances.push(sm);
  return sm;
}

function capturingLoader() {
  const handles: DebugHandle[] = [];
  const close = vi.fn();
  const loader = vi.fn(async () => ({ openDebugPanel: (handle: DebugHandle) => (handles.push(handle), { close }) }));
  return { loader, handles, close };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
  document.body.innerHTML = `<h1>Original</h1>`;
});
afterEach(() => {
  for (const sm of instances) sm.destroy();
  instances = [];
});

describe("opening the debug panel", () => {
  it("debug() loads the panel once and lends it the instance, the rules and the reported problems", async () => {
    const { loader, handles } = capturingLoader();
    const sm = start(loader);
    await sm.ready;
    sm.debug();
    sm.debug(true);
    await vi.waitFor(() => expect(handles).toHaveLength(1));
    expect(loader).toHaveBeenCalledTimes(1);
    const [handle] = handles as [DebugHandle];
    expect(handle.instance).toBe(sm);
    expect(handle.rules()?.segments.map((s) => s.id)).toEqual(["pricing-fan", "fan-returning"]);
    sm.track("");
    expect(handle.problems()).toEqual([expect.objectContaining({ code: "SEGMINT_BAD_CALL" })]);
  });

  it("debug(false) and destroy() close it", async () => {
    const { loader, handles, close } = capturingLoader();
    const sm = start(loader);
    sm.debug();
    await vi.waitFor(() => expect(handles).toHaveLength(1));
    sm.debug(false);
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1));
    sm.debug();
    await vi.waitFor(() => expect(handles).toHaveLength(2));
    sm.destroy();
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(2));
  });

  it("opens by itself for the debug option and for ?segmint_debug=1, which lasts for the tab until =0", async () => {
    const first = capturingLoader();
    start(first.loader, { debug: true });
    await vi.waitFor(() => expect(first.handles).toHaveLength(1));

    history.replaceState(null, "", "/?segmint_debug=1");
    const second = capturingLoader();
    start(second.loader);
    await vi.waitFor(() => expect(second.handles).toHaveLength(1));

    history.replaceState(null, "", "/docs");
    const third = capturingLoader();
    await start(third.loader).ready;
    await vi.waitFor(() => expect(third.handles).toHaveLength(1));

    history.replaceState(null, "", "/?segmint_debug=0");
    const fourth = capturingLoader();
    await start(fourth.loader).ready;
    history.replaceState(null, "", "/");
    const fifth = capturingLoader();
    await start(fifth.loader).ready;
    await new Promise((r) => setTimeout(r, 0));
    expect(fourth.loader).not.toHaveBeenCalled();
    expect(fifth.loader).not.toHaveBeenCalled();
  });

  it("a panel that cannot load is reported once with a stable code and never throws", async () => {
    const errors: string[] = [];
    const sm = start(() => Promise.reject(new Error("404")));
    sm.on("error", (e) => errors.push(e.code));
    expect(() => sm.debug()).not.toThrow();
    await vi.waitFor(() => expect(errors).toEqual(["SEGMINT_DEBUG_UNAVAILABLE"]));
  });

  it("npm's createSegmint loads the panel chunk into a shadow root", async () => {
    const sm = createSegmint({ rules: RULES, now: () => clock });
    instances.push(sm);
    await sm.ready;
    sm.debug();
    await vi.waitFor(() => expect(document.querySelector("segmint-debug")?.shadowRoot).toBeTruthy());
    sm.debug(false);
    await vi.waitFor(() => expect(document.querySelector("segmint-debug")).toBeNull());
  });
});

describe("forcing a segment for QA", () => {
  async function forcedHandle(): Promise<{ sm: Segmint; handle: DebugHandle }> {
    const { loader, handles } = capturingLoader();
    const sm = start(loader);
    await sm.ready;
    sm.debug();
    await vi.waitFor(() => expect(handles).toHaveLength(1));
    return { sm, handle: handles[0] as DebugHandle };
  }

  it("makes the visitor a member at once, with the segments that depend on it and their experiences", async () => {
    const { sm, handle } = await forcedHandle();
    expect(sm.segments()).toEqual([]);
    handle.force(["pricing-fan"]);
    await vi.waitFor(() => expect(sm.segments()).toEqual(["pricing-fan", "fan-returning"]));
    expect(document.querySelector("h1")?.textContent).toBe("Plans for you");
    expect(handle.forced()).toEqual(["pricing-fan"]);
    handle.force([]);
    await vi.waitFor(() => expect(sm.segments()).toEqual([]));
    expect(document.querySelector("h1")?.textContent).toBe("Original");
  });

  it("marks the tab's segment and exposure events qa: true and starts no sticky deadline", async () => {
    const { sm, handle } = await forcedHandle();
    handle.force(["pricing-fan"]);
    await vi.waitFor(() => expect(sm.segments()).toContain("pricing-fan"));
    const { events } = (await sm.export()) as { events: Array<Record<string, unknown>> };
    expect(events.find((e) => e.type === "segment" && e.segment === "pricing-fan")).toMatchObject({ change: "enter", qa: true });
    expect(events.find((e) => e.type === "exposure")).toMatchObject({ experience: "hero", qa: true });
    expect(sm.explain("pricing-fan")).toMatchObject({ member: true, sticky: false });
    handle.force([]);
    await vi.waitFor(() => expect(sm.segments()).toEqual([]));
  });

  it("lasts for the tab (sessionStorage), not for the visitor", async () => {
    const { handle } = await forcedHandle();
    handle.force(["pricing-fan"]);
    const again = start();
    await again.ready;
    expect(again.segments()).toContain("pricing-fan");
    sessionStorage.clear();
    const otherTab = start();
    await otherTab.ready;
    expect(otherTab.segments()).toEqual([]);
  });
});
