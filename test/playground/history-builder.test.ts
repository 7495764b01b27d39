// The visit builder: steps appended to a history, timed as a visit would be, and written back as readable JSON.
import { describe, expect, it } from "vitest";
import { applyStep, formatHistory, latestTime, parseTraitValue, type VisitStep } from "../../demo/playground/history-builder";
import { simulate, type History } from "../../src/rules/simulate";
import { parseRules } from "../../src/rules/schema";

const CLOCK = Date.parse("2026-03-02T09:00:00Z");
const DAY = 86_400_000;

/** Takes the steps in order from an empty history; fails the test on a refused step. */
function build(...steps: VisitStep[]): Record<string, unknown> {
  return steps.reduce<Record<string, unknown>>((history, step) => {
    const result = applyStep(history, step, CLOCK);
    if (!result.ok) throw new Error(result.message);
    return result.history;
  }, { events: [] });
}

const events = (history: Record<string, unknown>) => history.events as Array<Record<string, unknown>>;

describe("applyStep", () => {
  it("starts an empty history at the clock and spaces page views within one session", () => {
    const history = build({ kind: "pageview", path: "/" }, { kind: "pageview", path: "pricing" });
    expect(events(history).map((e) => [e.t, e.type, e.path])).toEqual([
      ["2026-03-02T09:00:00.000Z", "pageview", "/"],
      ["2026-03-02T09:00:30.000Z", "pageview", "/pricing"],
    ]);
    expect(history.now).toBe("2026-03-02T09:00:30.000Z");
  });

  it("continues after the latest time already in the history, not at the clock", () => {
    const history = { now: "2025-01-01T00:00:00Z", events: [{ t: "2025-01-01T00:05:00Z", type: "pageview", path: "/" }] };
    const result = applyStep(history, { kind: "pageview", path: "/docs/" }, CLOCK);
    expect(result.ok && events(result.history)[1]?.t).toBe("2025-01-01T00:05:30.000Z");
  });

  it("records a full URL's path only", () => {
    const history = build({ kind: "pageview", path: "https://acme.test/pricing/?plan=pro#faq" });
    expect(events(history)[0]?.path).toBe("/pricing/");
  });

  it("makes a return after days a new session for simulate", () => {
    const history = build({ kind: "pageview", path: "/" }, { kind: "return", days: 3 }, { kind: "pageview", path: "/pricing/" });
    expect(latestTime(history)).toBe(CLOCK + 3 * DAY + 30_000);
    const rules = parseRules({ version: 1, segments: [{ id: "returning", when: { "visitor.sessions": { $gt: 1 } } }] });
    expect(simulate(rules, history as unknown as History).segments).toEqual(["returning"]);
  });

  it("adds a search as its results page and the search, with the query normalised as the SDK does", () => {
    const history = build({ kind: "search", query: "  web   hooks " });
    expect(events(history).map((e) => [e.type, e.path, e.query])).toEqual([
      ["pageview", "/search/", undefined],
      ["search", "/search/", "web hooks"],
    ]);
  });

  it("adds dwell at the end of the time read, on the current page unless told", () => {
    const history = build({ kind: "pageview", path: "/docs/" }, { kind: "dwell", seconds: 95, path: "" });
    expect(events(history)[1]).toEqual({ t: "2026-03-02T09:01:35.000Z", type: "dwell", path: "/docs/", seconds: 95 });
  });

  it("adds a custom event on the current page, with a value when given", () => {
    const history = build({ kind: "pageview", path: "/pricing/" }, { kind: "event", type: "purchase", value: 49 }, { kind: "event", type: "signup" });
    expect(events(history).slice(1).map(({ type, path, value }) => ({ type, path, value }))).toEqual([
      { type: "purchase", path: "/pricing/", value: 49 },
      { type: "signup", path: "/pricing/", value: undefined },
    ]);
  });

  it("sets traits as own properties, keeping the others", () => {
    const history = build({ kind: "trait", name: "company", value: "acme" }, { kind: "trait", name: "seats", value: 12 });
    expect(history.traits).toEqual({ company: "acme", seats: 12 });
  });

  it("sets where the visitor is now and where they came from", () => {
    const history = build({ kind: "landing", url: "/pricing/", referrer: "https://www.google.com/" });
    expect(history.page).toEqual({ url: "https://example.com/pricing/", referrer: "https://www.google.com/" });
  });

  it("refuses what would make a broken history, saying why", () => {
    const refused: Array<[unknown, VisitStep]> = [
      [[], { kind: "pageview", path: "/" }],
      [{ events: {} }, { kind: "pageview", path: "/" }],
      [{ events: [] }, { kind: "pageview", path: "  " }],
      [{ events: [] }, { kind: "pageview", path: "javascript:alert(1)" }],
      [{ events: [] }, { kind: "search", query: " " }],
      [{ events: [] }, { kind: "dwell", seconds: 0, path: "/" }],
      [{ events: [] }, { kind: "dwell", seconds: NaN, path: "/" }],
      [{ events: [] }, { kind: "event", type: "has space" }],
      [{ events: [] }, { kind: "return", days: -1 }],
      [{ events: [] }, { kind: "trait", name: "__proto__", value: 1 }],
      [{ events: [] }, { kind: "trait", name: "1st", value: 1 }],
      [{ events: [] }, { kind: "landing", url: "data:text/html,hi", referrer: "" }],
      [{ events: [] }, { kind: "landing", url: "/", referrer: "/not-absolute" }],
    ];
    for (const [history, step] of refused) {
      const result = applyStep(history, step, CLOCK);
      expect(result.ok, JSON.stringify(step)).toBe(false);
      expect(!result.ok && result.message).toMatch(/\w/);
    }
  });

  it("creates the events list when a history has none", () => {
    const result = applyStep({}, { kind: "pageview", path: "/" }, CLOCK);
    expect(result.ok && events(result.history)).toHaveLength(1);
  });
});

describe("parseTraitValue", () => {
  it("reads JSON when it is JSON, else keeps the text", () => {
    expect(parseTraitValue("42")).toBe(42);
    expect(parseTraitValue("true")).toBe(true);
    expect(parseTraitValue('"42"')).toBe("42");
    expect(parseTraitValue('["a"]')).toEqual(["a"]);
    expect(parseTraitValue("acme")).toBe("acme");
  });
});

describe("formatHistory", () => {
  it("writes one event per line and parses back to the same history", () => {
    const history = build({ kind: "pageview", path: "/" }, { kind: "trait", name: "plan", value: "pro" }, { kind: "pageview", path: "/docs/" });
    const text = formatHistory(history);
    expect(JSON.parse(text)).toEqual(history);
    expect(text.split("\n").filter((line) => line.includes('"type": "pageview"'))).toHaveLength(2);
    expect(text.indexOf('"now"')).toBeLessThan(text.indexOf('"traits"'));
    expect(text.indexOf('"traits"')).toBeLessThan(text.indexOf('"events"'));
  });

  it("keeps an own __proto__ key as data", () => {
    const history = JSON.parse('{ "__proto__": { "x": 1 }, "events": [] }') as Record<string, unknown>;
    expect(JSON.parse(formatHistory(history))).toEqual(history);
    expect(Object.keys(JSON.parse(formatHistory(history)) as object)).toContain("__proto__");
  });
});
