// @vitest-environment node
// The engine end to end on a history: built-in counters, sessions' counts, interests from tagged dwell, and
// metrics that stay the same when old events are pruned into the archive.
import { describe, expect, it } from "vitest";
import { createEngine, type Environment } from "../../src/rules/engine";
import { parseRules } from "../../src/rules/schema";
import type { SegmintEvent } from "../../src/rules/types";

const DAY = 86_400_000;
const now = Date.parse("2026-11-20T12:00:00Z");
const rules = parseRules({
  version: 1,
  metrics: { purchases30: { count: "purchase", withinDays: 30 }, revenue: { sum: "purchase.value" } },
  segments: [
    { id: "runner", when: { "interests.running": 1 } },
    { id: "buyer", when: { "metrics.revenue": { $gte: 100 } } },
  ],
  interests: { halfLifeDays: 14, tags: [{ when: { "page.path": { $regex: "^/shoes" } }, tags: ["running"] }] },
});

function env(path = "/"): Environment {
  return {
    now,
    page: { url: `https://shop.example${path}`, path, host: "shop.example", query: {}, hash: "", title: "", referrer: "", tags: [] },
    session: { id: "s2", number: 2, startedAt: now - 60_000, landing: "/", referrer: { url: "", host: "", type: "direct" }, utm: {} },
    visitor: { id: "v", firstSeen: now - 40 * DAY, lastSeen: now - 2 * DAY, sessions: 2 },
    device: { type: "desktop", touch: false, language: "en", languages: ["en"], timezone: "UTC", width: 1, height: 1 },
    traits: {},
  };
}

const event = (i: number, daysAgo: number, type: string, props: Record<string, unknown> = {}): SegmintEvent =>
  ({ id: `e${i}`, t: now - daysAgo * DAY, type, sid: daysAgo > 1 ? "s1" : "s2", path: "/", ...props }) as SegmintEvent;

const history = [
  event(1, 40, "pageview"),
  event(2, 40, "purchase", { value: 80 }),
  event(3, 10, "dwell", { seconds: 120, tags: ["running"] }),
  event(4, 10, "dwell", { seconds: 30, tags: ["yoga"] }),
  event(5, 5, "purchase", { value: 50 }),
  event(6, 0, "pageview"),
  event(7, 0, "dwell", { seconds: 15, tags: [] }),
];

describe("createEngine", () => {
  it("derives counters, metrics, interests and segments from the history", () => {
    const engine = createEngine(rules, 0);
    engine.load(history, undefined);
    const { context } = engine.evaluate(env("/shoes/trail"), [], {});
    expect(context.visitor).toMatchObject({ pageviews: 2, seconds: 165, sessions: 2, returning: true, daysSinceLastSeen: 2 });
    expect(context.session).toMatchObject({ pageviews: 1, seconds: 15 });
    expect(context.metrics).toEqual({ purchases30: 1, revenue: 130 });
    expect(context.interests.running).toBe(1);
    expect(context.interests.yoga).toBeGreaterThan(0.2);
    expect(context.interests.yoga).toBeLessThan(0.3);
    expect(context.page.tags).toEqual(["running"]);
    expect(context.segments).toEqual(["runner", "buyer"]);
  });

  it("gives the same metrics and interests after the oldest events are folded into the archive", () => {
    const whole = createEngine(rules, 0);
    whole.load(history, undefined);
    const pruned = createEngine(rules, 0);
    const archive = pruned.fold(history.slice(0, 4), undefined);
    pruned.load(history.slice(4), JSON.parse(JSON.stringify(archive)));
    const a = whole.evaluate(env(), [], {}).context;
    const b = pruned.evaluate(env(), [], {}).context;
    expect(b.metrics).toEqual(a.metrics);
    expect(b.interests).toEqual(a.interests);
    expect(b.visitor.pageviews).toBe(a.visitor.pageviews);
    expect(b.visitor.seconds).toBe(a.visitor.seconds);
  });

  it("explains each condition with the value it read", () => {
    const engine = createEngine(rules, 0);
    engine.load(history, undefined);
    const { context } = engine.evaluate(env(), [], {});
    expect(engine.explain("buyer", context, {}, now)).toEqual({
      segment: "buyer",
      member: true,
      sticky: false,
      conditions: [{ path: "metrics.revenue", operator: "$gte", expected: 100, actual: 130, pass: true }],
    });
  });

  it("explains a test of other segments with the segments decided before it, as it saw them", () => {
    const chain = parseRules({
      version: 1,
      segments: [
        { id: "first", when: {} },
        { id: "second", when: { segments: { $size: 1 } } },
        { id: "third", when: {} },
      ],
    });
    const engine = createEngine(chain, 0);
    engine.load([], undefined);
    const { context } = engine.evaluate(env(), [], {});
    expect(context.segments).toEqual(["first", "second", "third"]);
    expect(engine.explain("second", context, {}, now)).toEqual({
      segment: "second",
      member: true,
      sticky: false,
      conditions: [{ path: "segments", operator: "$size", expected: 1, actual: ["first"], pass: true }],
    });
  });
});
