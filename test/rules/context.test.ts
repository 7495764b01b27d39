// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { freezeContext, timeInfo, visitorInfo } from "../../src/rules/context";
import type { Context, TimeInfo, VisitorInfo } from "../../src/rules/types";

type TimeRow = [name: string, iso: string, tz: number, expected: TimeInfo];
type Record_ = { id: string; firstSeen: string; lastSeen: string; sessions: number; pageviews: number; seconds: number };
type VisitorRow = [name: string, record: Record_, now: string, expected: Partial<VisitorInfo>];

const cases = JSON.parse(readFileSync(new URL("../cases/context.json", import.meta.url), "utf8")) as {
  timeInfo: TimeRow[];
  visitorInfo: VisitorRow[];
};

describe("timeInfo", () => {
  it.each(cases.timeInfo)("%s", (_name, iso, tz, expected) => {
    expect(timeInfo(Date.parse(iso), tz)).toEqual(expected);
  });

  it("matches the host's own local fields when given the host's offset", () => {
    for (const iso of ["2026-01-15T06:30:00Z", "2026-07-15T21:10:00Z"]) {
      const d = new Date(iso);
      const t = timeInfo(d.getTime(), d.getTimezoneOffset());
      expect([t.hour, t.weekday, t.month]).toEqual([d.getHours(), d.getDay(), d.getMonth() + 1]);
    }
  });
});

describe("visitorInfo", () => {
  it.each(cases.visitorInfo)("%s", (_name, record, nowIso, expected) => {
    const firstSeen = Date.parse(record.firstSeen);
    const lastSeen = Date.parse(record.lastSeen);
    const info = visitorInfo({ ...record, firstSeen, lastSeen }, Date.parse(nowIso));
    expect(info).toEqual({ ...record, firstSeen, lastSeen, ...expected });
  });
});

describe("freezeContext", () => {
  const ctx = (): Context =>
    ({
      page: { url: "https://example.com/", path: "/", host: "example.com", query: { a: "1" }, hash: "", title: "", referrer: "", tags: ["docs"] },
      traits: JSON.parse('{"firstName":"Ada","__proto__":{"polluted":true},"nested":{"deep":[1,{"x":2}]}}'),
      metrics: { n: 3, last: null },
      segments: ["returning"],
      searches: [],
      pages: ["/"],
    }) as unknown as Context;

  it("returns an equal deep copy", () => {
    const original = ctx();
    const frozen = freezeContext(original);
    expect(frozen).toEqual(original);
    expect(frozen).not.toBe(original);
    expect(frozen.traits).not.toBe(original.traits);
    expect(frozen.page.tags).not.toBe(original.page.tags);
  });

  it("freezes every level", () => {
    const frozen = freezeContext(ctx());
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(Object.isFrozen(frozen.page)).toBe(true);
    expect(Object.isFrozen(frozen.page.tags)).toBe(true);
    expect(Object.isFrozen((frozen.traits["nested"] as { deep: unknown[] }).deep[1])).toBe(true);
    expect(() => frozen.segments.push("x")).toThrow(TypeError);
  });

  it("later changes to the original do not show through", () => {
    const original = ctx();
    const frozen = freezeContext(original);
    original.segments.push("hot-lead");
    original.traits["firstName"] = "Grace";
    expect(frozen.segments).toEqual(["returning"]);
    expect(frozen.traits["firstName"]).toBe("Ada");
  });

  it("keeps an own __proto__ key as a key and never changes a prototype", () => {
    const frozen = freezeContext(ctx());
    expect(Object.getPrototypeOf(frozen.traits)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(frozen.traits, "__proto__")).toBe(true);
    expect((frozen.traits as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("cuts absurdly deep data instead of overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const frozen = freezeContext({ ...ctx(), traits: { deep } } as unknown as Context);
    expect(frozen.traits["deep"]).toBeTypeOf("object");
  });
});
