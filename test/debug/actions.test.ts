// What the panel's buttons do: force a segment for QA (this tab only), show an offer, forget the visitor, check the
// rules file path by path, and close without leaving anything behind.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseRules, safeParseRules } from "../../src/rules/schema";
import { openDebugPanel } from "../../src/debug/index";
import type { DebugHandle, Segmint } from "../../src/sdk";
import { RULES, control, destroyAll, eventually, hasControl, openPanel, resetPage, rowsOf, section, tableNamed } from "./helpers";

beforeEach(resetPage);
afterEach(() => {
  destroyAll();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const forceBox = (root: ShadowRoot, id: string) => control<HTMLInputElement>(root, `Force ${id} in this tab`);
const banner = (root: ShadowRoot) => root.querySelector(".banner") as HTMLElement;

describe("forcing a segment for QA", () => {
  it("applies the segment's experience, says so in a banner, and stays checked across re-renders", async () => {
    const { sm, root } = await openPanel();
    expect(banner(root).hidden).toBe(true);
    const box = forceBox(root, "pricing-fan");
    box.focus();
    box.click();
    await eventually(() => expect(document.querySelector("h1")?.textContent).toBe("Plans for you"));
    expect(document.documentElement.classList.contains("sm-pricing-fan")).toBe(true);
    await eventually(() => expect(banner(root).textContent).toContain("QA: forcing pricing-fan in this tab only"));
    expect(banner(root).hidden).toBe(false);
    expect(root.querySelector('[data-segment="pricing-fan"]')?.textContent).toContain("forced");
    expect(sessionStorage.getItem("segmint_force")).toBe("pricing-fan");

    sm.track("anything");
    control(root, "Refresh").click();
    await eventually(() => expect(rowsOf(tableNamed(root, "Recent events")).some((r) => r[1] === "anything")).toBe(true));
    expect(forceBox(root, "pricing-fan").checked).toBe(true);
    expect(root.activeElement).toBe(forceBox(root, "pricing-fan")); // keyboard focus survives the re-render
    expect(banner(root).textContent).toContain("QA: forcing pricing-fan");
  });

  it("is undone by unchecking or by the banner's Stop forcing button", async () => {
    const { root } = await openPanel();
    forceBox(root, "pricing-fan").click();
    await eventually(() => expect(document.querySelector("h1")?.textContent).toBe("Plans for you"));
    forceBox(root, "pricing-fan").click();
    await eventually(() => expect(document.querySelector("h1")?.textContent).toBe("Original"));
    await eventually(() => expect(banner(root).hidden).toBe(true));

    forceBox(root, "pricing-fan").click();
    forceBox(root, "everyone").click();
    await eventually(() => expect(banner(root).textContent).toContain("forcing pricing-fan, everyone"));
    control(root, "Stop forcing").click();
    await eventually(() => expect(document.querySelector("h1")?.textContent).toBe("Original"));
    await eventually(() => expect(banner(root).hidden).toBe(true));
    expect(forceBox(root, "pricing-fan").checked).toBe(false);
  });
});

describe("the offer button", () => {
  it("shows an experience's offer now, and the panel records that it was shown", async () => {
    const { root } = await openPanel();
    expect(hasControl(root, "Show offer hero")).toBe(false); // no offer, no button
    control(root, "Show offer stay").click();
    const dialog = await eventually(() => document.querySelector("dialog[open]") as HTMLDialogElement);
    expect(dialog.textContent).toContain("Before you go");
    await eventually(() => expect(rowsOf(tableNamed(root, "Recent events"))[0]?.slice(1, 2)).toEqual(["exposure"]));
    expect(rowsOf(tableNamed(root, "Recent events")).map((r) => r[3])).toContain('experience="stay", action="show"');
  });
});

describe("forget me", () => {
  it("asks inside the panel first, then erases the stored history and shows a new visitor", async () => {
    const { sm, root } = await openPanel();
    sm.track("purchase", { value: 10 });
    const before = sm.context()?.visitor.id;
    control(root, "Forget me…").click();
    await eventually(() => expect(control(root, "Cancel")).toBe(root.activeElement));
    expect(section(root, "Visitor data").textContent).toContain("Erase everything segmint stored");
    control(root, "Cancel").click(); // nothing happens on the first click alone
    await eventually(() => expect(control(root, "Forget me…")).toBe(root.activeElement));
    expect(((await sm.export()) as { events: Array<{ type: string }> }).events.map((e) => e.type)).toContain("purchase");

    control(root, "Forget me…").click();
    (await eventually(() => control(root, "Yes, forget me"))).click();
    await eventually(() => expect(section(root, "Visitor data").textContent).toContain("Erased: a new anonymous visitor started."));
    const { events } = (await sm.export()) as { events: Array<{ type: string }> };
    expect(events.map((e) => e.type)).not.toContain("purchase");
    expect(sm.context()?.visitor.id).not.toBe(before);
    await eventually(() => expect(rowsOf(tableNamed(root, "Recent events")).map((r) => r[1])).not.toContain("purchase"));
    expect(Object.fromEntries(rowsOf(tableNamed(root, "Visitor")))["visitor.id"]).toBe(sm.context()?.visitor.id);
  });
});

describe("problems", () => {
  const BROKEN = {
    version: 1,
    segments: [{ id: "Hot Lead", when: { "metrics.views": { $gte: 2 } } }],
    experiences: [{ id: "hero", segment: "hot-lead", changes: [{ selector: "h1", text: "Hi" }] }],
  };

  function serve(body: string, status = 200) {
    const fetch = vi.fn(async () => new Response(body, { status, headers: { "content-type": "application/json" } }));
    vi.stubGlobal("fetch", fetch);
    vi.spyOn(console, "warn").mockImplementation(() => {});
    return fetch;
  }

  it("lists the runtime's problems by code, and every problem of the rules file with its JSON path", async () => {
    const fetch = serve(JSON.stringify(BROKEN));
    const { root } = await openPanel({ rules: "/rules/broken.json" });
    const problems = section(root, "Problems");
    await eventually(() => expect(problems.textContent).toContain("has 2 problems"));
    expect(problems.textContent).toContain("SEGMINT_RULES_INVALID");
    const listed = Array.from(problems.querySelectorAll("li"), (li) => li.textContent);
    const expected = (safeParseRules(JSON.stringify(BROKEN)) as { success: false; error: { issues: Array<{ path: string; message: string }> } }).error.issues;
    for (const issue of expected) expect(listed).toContain(`${issue.path} ${issue.message}`);
    expect(listed.some((text) => text?.startsWith("segments[0].id "))).toBe(true);
    expect(listed.some((text) => text?.startsWith("experiences[0].segment "))).toBe(true);
    expect(fetch).toHaveBeenLastCalledWith("http://localhost:3000/rules/broken.json", expect.anything());
    expect(section(root, "Segments").textContent).toContain("No rules are loaded: see Problems.");
  });

  it("says so when the rules file is not JSON, or cannot be fetched", async () => {
    const fetch = serve('{ "version": 1, ');
    const { root } = await openPanel({ rules: "/rules.json" });
    await eventually(() => expect(section(root, "Problems").textContent).toContain("http://localhost:3000/rules.json is not valid JSON:"));

    fetch.mockImplementation(async () => new Response("missing", { status: 404 }));
    control(root, "Check the rules file").click();
    await eventually(() => expect(section(root, "Problems").textContent).toContain("http://localhost:3000/rules.json answered 404"));
  });

  it("checks a working rules file on request", async () => {
    serve(JSON.stringify({ version: 1, segments: [{ id: "all", when: {} }] }));
    const { root } = await openPanel({ rules: "/rules.json" });
    expect(section(root, "Problems").textContent).toContain("not checked yet");
    control(root, "Check the rules file").click();
    await eventually(() => expect(section(root, "Problems").textContent).toContain("http://localhost:3000/rules.json is valid: 1 segments, 0 experiences."));
  });
});

describe("closing", () => {
  it("removes the panel and its listeners; debug() opens it again", async () => {
    const { sm, root } = await openPanel();
    const subscribed = watchListeners(sm);
    sm.debug(false);
    await eventually(() => expect(document.querySelector("segmint-debug")).toBeNull());
    sm.debug();
    await eventually(() => expect(document.querySelector("segmint-debug")).not.toBeNull());
    expect(subscribed.active()).toBe(5);
    control(document.querySelector("segmint-debug")!.shadowRoot!, "Close the debug panel").click();
    await eventually(() => expect(document.querySelector("segmint-debug")).toBeNull());
    expect(subscribed.active()).toBe(0);
    for (let i = 0; i < 3; i++) sm.page("/pricing"); // segments change: nothing comes back
    await eventually(() => expect(sm.segments()).toContain("pricing-fan"));
    expect(document.querySelector("segmint-debug")).toBeNull();
    expect(root.host.isConnected).toBe(false);
  });

  function watchListeners(sm: Segmint) {
    let active = 0;
    const on = sm.on.bind(sm);
    vi.spyOn(sm, "on").mockImplementation(((name: never, fn: never) => {
      const stop = on(name, fn);
      active++;
      return () => (active--, stop());
    }) as Segmint["on"]);
    return { active: () => active };
  }
});

describe("never breaking the page", () => {
  it("a part that fails says so in its section, warns once on the console, and the rest still works", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { sm } = await openPanel();
    sm.debug(false);
    await eventually(() => expect(document.querySelector("segmint-debug")).toBeNull());
    const broken = { ...sm, segments: () => { throw new Error("boom"); } } as Segmint;
    const rules = parseRules(RULES);
    const handle: DebugHandle = { instance: broken, rules: () => rules, rulesUrl: undefined, problems: () => [], forced: () => [], force: () => {} };
    let panel: ReturnType<typeof openDebugPanel> | undefined;
    expect(() => (panel = openDebugPanel(handle))).not.toThrow();
    const root = document.querySelector("segmint-debug")!.shadowRoot!;
    expect(section(root, "Segments").textContent).toContain("This section could not be shown: Error: boom");
    expect(rowsOf(tableNamed(root, "Experiences")).map((r) => r[0])).toEqual(["hero", "stay"]);
    control(root, "Refresh").click();
    await eventually(() => expect(rowsOf(tableNamed(root, "Recent events")).length).toBeGreaterThan(0));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0])).toContain("[segmint] debug panel:");
    expect(() => panel?.close()).not.toThrow();
    expect(document.querySelector("segmint-debug")).toBeNull();
  });
});
