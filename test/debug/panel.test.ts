// What a QA person sees in the debug panel: segments and why, values, experiences, events and segment history,
// kept up to date as the visitor acts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { control, destroyAll, eventually, openPanel, resetPage, rowsOf, screenOf, section, tableNamed } from "./helpers";

beforeEach(resetPage);
afterEach(destroyAll);

describe("the debug panel", () => {
  it("opens in a shadow root of <segmint-debug>, as a drawer with headings and real buttons", async () => {
    const { root } = await openPanel();
    const screen = screenOf(root);
    expect(document.querySelectorAll("segmint-debug")).toHaveLength(1);
    expect(document.body.textContent).not.toContain("segmint debug"); // nothing of it in the page's own DOM
    expect(screen.getByRole("complementary", { name: "segmint debug panel" })).toBeTruthy();
    expect(screen.getByRole("heading", { level: 2, name: "segmint debug" })).toBeTruthy();
    const titles = screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
    expect(titles).toEqual(["Problems", "Segments", "Experiences", "Visitor", "Recent events", "Segment history", "Visitor data"]);
    for (const name of ["Refresh", "Minimise", "Close the debug panel"]) expect(screen.getByRole("button", { name }).tagName).toBe("BUTTON");
  });

  it("lists every segment, member or not, and explains each condition with the value it read, live", async () => {
    const { sm, root } = await openPanel();
    sm.page("/pricing");
    sm.page("/pricing");
    const fan = () => root.querySelector('[data-segment="pricing-fan"]') as HTMLElement;
    await eventually(() => expect(fan().textContent).toContain("not a member"));
    expect(root.querySelector('[data-segment="everyone"]')?.textContent).toContain("member");
    expect(fan().textContent).toContain("Viewed pricing three times");

    const why = control(root, "Why? pricing-fan");
    expect(why.getAttribute("aria-expanded")).toBe("false");
    why.click();
    await eventually(() => expect(rowsOf(tableNamed(root, "Conditions of pricing-fan"))).toEqual([["metrics.pricing", "$gte", "3", "2", "✗"]]));
    expect(control(root, "Why? pricing-fan").getAttribute("aria-expanded")).toBe("true");

    sm.page("/pricing"); // the third view: the panel follows without a click
    await eventually(() => expect(rowsOf(tableNamed(root, "Conditions of pricing-fan"))).toEqual([["metrics.pricing", "$gte", "3", "3", "✓"]]));
    expect(fan().querySelector(".badge")?.textContent).toBe("member");
    expect(root.querySelector(".summary")?.textContent).toBe("2 of 2 segments · 1 applied");
  });

  it("shows key visitor facts, metric values, traits and interests as tables", async () => {
    const { sm, root } = await openPanel();
    sm.page("/docs/start");
    await eventually(() => expect(sm.context()?.page.tags).toEqual(["technical"]));
    sm.page("/pricing"); // the time spent on /docs/start counts towards its tag
    sm.setTraits({ role: "developer", companySize: 40 });
    await sm.ready;
    control(root, "Refresh").click(); // traits change no segment: refresh by hand
    await eventually(() => expect(rowsOf(tableNamed(root, "Traits"))).toEqual([["companySize", "40"], ["role", '"developer"']]));
    expect(rowsOf(tableNamed(root, "Metrics"))).toEqual([["pricing", "1"]]);
    expect(rowsOf(tableNamed(root, "Interests"))).toEqual([["technical", "1.00"]]);
    const facts = Object.fromEntries(rowsOf(tableNamed(root, "Visitor")));
    expect(facts).toMatchObject({ "visitor.id": sm.context()?.visitor.id, "visitor.pageviews": "3", "page.path": "/pricing" });
  });

  it("lists experiences with their state, variant and reason", async () => {
    const { sm, root } = await openPanel();
    const rows = () => rowsOf(tableNamed(root, "Experiences")).map((r) => r.slice(0, 4));
    await eventually(() => expect(rows()).toEqual(sm.experiences().map((e) => [e.id, e.state, e.variant ?? "", e.reason ?? ""])));
    expect(rows().map((r) => r.slice(0, 2))).toEqual([["hero", "not-eligible"], ["stay", "waiting"]]);
  });

  it("lists the recent stored events newest first, with their props", async () => {
    const { sm, root } = await openPanel();
    sm.track("signup", { plan: "pro" });
    sm.page("/pricing");
    sm.page("/pricing");
    sm.page("/pricing"); // enters pricing-fan: the panel reloads the events by itself
    await eventually(() => {
      const rows = rowsOf(tableNamed(root, "Recent events")).filter((r) => r[1] !== "dwell");
      expect(rows.map((r) => r[1])).toEqual(["exposure", "segment", "pageview", "pageview", "pageview", "signup", "segment", "pageview"]);
      expect(rows[0]?.[3]).toBe('experience="hero", variant="treated"');
      expect(rows[5]?.slice(2)).toEqual(["/", 'plan="pro"']);
      expect(rows[2]?.slice(2)).toEqual(["/pricing", 'title=""']);
      expect(rows[0]?.[0]).toMatch(/^2026-11-2\d \d\d:\d\d:\d\d$/);
    });
    expect(section(root, "Recent events").querySelector(".note")?.textContent).toMatch(/^1\d stored events\.$/);
  });

  it("keeps the segment history: when each segment was entered and left", async () => {
    const { sm, root } = await openPanel();
    for (let i = 0; i < 3; i++) sm.page("/pricing");
    await eventually(() => expect(rowsOf(tableNamed(root, "Segment history")).map((r) => r.slice(1))).toEqual([["pricing-fan", "entered", ""], ["everyone", "entered", ""]]));
    const [entered] = rowsOf(tableNamed(root, "Segment history"));
    const { events } = (await sm.export()) as { events: Array<{ type: string; segment?: string; t: number }> };
    const stored = events.find((e) => e.type === "segment" && e.segment === "pricing-fan");
    const time = new Date(stored?.t ?? 0);
    expect(entered?.[0]).toContain(`${String(time.getHours()).padStart(2, "0")}:${String(time.getMinutes()).padStart(2, "0")}`);
  });

  it("minimises to its title bar, keeps the keyboard focus on the toggle, and expands again", async () => {
    const { root } = await openPanel();
    const toggle = control(root, "Minimise");
    toggle.focus();
    toggle.click();
    await eventually(() => expect(control(root, "Expand").getAttribute("aria-expanded")).toBe("false"));
    expect((root.querySelector(".body") as HTMLElement).hidden).toBe(true);
    expect(root.activeElement?.textContent).toBe("Expand");
    control(root, "Expand").click();
    await eventually(() => expect((root.querySelector(".body") as HTMLElement).hidden).toBe(false));
  });

  it("shows data as text, never as markup", async () => {
    const { sm, root } = await openPanel();
    sm.setTraits({ name: '<img src=x onerror="alert(1)">' });
    await sm.ready;
    control(root, "Refresh").click();
    await eventually(() => expect(section(root, "Visitor").textContent).toContain("<img src=x"));
    expect(root.querySelector("img")).toBeNull();
  });
});
