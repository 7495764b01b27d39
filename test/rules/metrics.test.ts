// @vitest-environment node
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_DISTINCT,
  addEvent,
  dayNumber,
  emptyRollup,
  mergeRollups,
  metricValue,
  pruneRollup,
  type MetricSpec,
  type Rollup,
} from "../../src/rules/metrics";
import type { Json, MetricDef, SegmintEvent } from "../../src/rules/types";

type RowEvent = { t: string | number; type: string; [prop: string]: Json };
type WhereForm = { pathPrefix?: string; type?: string; prop?: [string, Json] };
type Row = [name: string, def: MetricDef, events: RowEvent[], now: string, expected: Json, options?: { where?: WhereForm; tz?: number }];

const { rows } = JSON.parse(readFileSync(new URL("../cases/metrics.json", import.meta.url), "utf8")) as { rows: Row[] };

/** The tiny predicate language of the table, standing in for a compiled `where` condition. */
function whereOf(form: WhereForm): (e: SegmintEvent) => boolean {
  return (e) =>
    (form.pathPrefix === undefined || e.path.startsWith(form.pathPrefix)) &&
    (form.type === undefined || e.type === form.type) &&
    (form.prop === undefined || e[form.prop[0]] === form.prop[1]);
}

function toEvent(row: RowEvent, i: number): SegmintEvent {
  const t = typeof row.t === "number" ? row.t : Date.parse(row.t);
  return { id: `e${i}`, sid: "s1", path: "/", ...row, t };
}

function rollupOf(spec: MetricSpec, events: readonly SegmintEvent[], tz: number, into: Rollup = emptyRollup()): Rollup {
  for (const e of events) addEvent(into, spec, e, dayNumber(e.t, tz));
  return into;
}

function valueAt(spec: MetricSpec, rollup: Rollup, now: number, tz: number): Json {
  return metricValue(spec, rollup, now, dayNumber(now, tz));
}

describe("metric table", () => {
  it("has at least 30 rows covering every kind", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const kinds = new Set(rows.flatMap(([, def]) => Object.keys(def).filter((k) => k !== "withinDays" && k !== "where")));
    expect([...kinds].sort()).toEqual(["avg", "count", "daysSince", "distinct", "first", "last", "max", "min", "sum"]);
  });

  it.each(rows)("%s", (name, def, rowEvents, nowIso, expected, options) => {
    const tz = options?.tz ?? 0;
    const spec: MetricSpec = { name, def, ...(options?.where ? { where: whereOf(options.where) } : {}) };
    const rollup = rollupOf(spec, rowEvents.map(toEvent), tz);
    expect(valueAt(spec, rollup, Date.parse(nowIso), tz)).toEqual(expected);
    // what is stored must survive a JSON round trip unchanged
    expect(valueAt(spec, JSON.parse(JSON.stringify(rollup)) as Rollup, Date.parse(nowIso), tz)).toEqual(expected);
  });
});

describe("rollups", () => {
  const day = dayNumber(Date.parse("2026-03-10T12:00:00Z"), 0);

  it("addEvent mutates and returns the same rollup", () => {
    const rollup = emptyRollup();
    const spec: MetricSpec = { name: "n", def: { count: "pageview" } };
    const event = toEvent({ t: "2026-03-10T12:00:00Z", type: "pageview" }, 0);
    expect(addEvent(rollup, spec, event, day)).toBe(rollup);
    expect(rollup).toEqual({ buckets: { all: { count: 1 } } });
  });

  it("a windowed metric keeps one bucket per local day; an all-time one a single bucket", () => {
    const windowed: MetricSpec = { name: "w", def: { sum: "purchase.value", withinDays: 7 } };
    const allTime: MetricSpec = { name: "a", def: { sum: "purchase.value" } };
    const events = [1, 2, 3].map((d) => toEvent({ t: `2026-03-0${d}T12:00:00Z`, type: "purchase", value: d }, d));
    expect(Object.keys(rollupOf(windowed, events, 0).buckets)).toHaveLength(3);
    expect(rollupOf(allTime, events, 0)).toEqual({ buckets: { all: { count: 3, sum: 6 } } });
  });

  // 19 daily events, 2026-02-20 … 2026-03-10 (today)
  it("pruneRollup drops days before the window and keeps the value", () => {
    const spec: MetricSpec = { name: "w", def: { count: "pageview", withinDays: 7 } };
    const events = Array.from({ length: 19 }, (_, i) => toEvent({ t: Date.parse("2026-02-20T12:00:00Z") + i * 86_400_000, type: "pageview" }, i));
    const rollup = rollupOf(spec, events, 0);
    const now = Date.parse("2026-03-10T12:00:00Z");
    const before = valueAt(spec, rollup, now, 0);
    expect(pruneRollup(rollup, day - 7 + 1)).toBe(rollup);
    expect(Object.keys(rollup.buckets)).toHaveLength(7);
    expect(valueAt(spec, rollup, now, 0)).toBe(before);
  });

  it("pruneRollup keeps the all-time bucket", () => {
    const rollup: Rollup = { buckets: { all: { count: 2 } } };
    expect(pruneRollup(rollup, day)).toEqual({ buckets: { all: { count: 2 } } });
  });

  it("mergeRollups leaves its inputs unchanged", () => {
    const a: Rollup = { buckets: { all: { count: 1, values: ["x"] } } };
    const b: Rollup = { buckets: { all: { count: 1, values: ["y"] } } };
    const merged = mergeRollups(a, b);
    expect(merged.buckets["all"]).toEqual({ count: 2, values: ["x", "y"] });
    expect(a.buckets["all"]).toEqual({ count: 1, values: ["x"] });
    expect(b.buckets["all"]).toEqual({ count: 1, values: ["y"] });
  });

  it(`distinct keeps at most ${MAX_DISTINCT} values per bucket`, () => {
    const spec: MetricSpec = { name: "d", def: { distinct: "pageview.path" } };
    const events = Array.from({ length: MAX_DISTINCT + 50 }, (_, i) => toEvent({ t: 0, type: "pageview", path: `/p${i}` }, i));
    const rollup = rollupOf(spec, events, 0);
    expect(rollup.buckets["all"]?.values).toHaveLength(MAX_DISTINCT);
    expect(metricValue(spec, rollup, 0, 0)).toBe(MAX_DISTINCT);
  });

  it("a metric without a prop path for a value kind counts nothing", () => {
    const spec: MetricSpec = { name: "s", def: { sum: "purchase" } };
    const rollup = rollupOf(spec, [toEvent({ t: 0, type: "purchase", value: 3 }, 0)], 0);
    expect(metricValue(spec, rollup, 0, 0)).toBe(0);
  });

  it("sum and avg saturate at ±Number.MAX_VALUE instead of overflowing, and survive a JSON round trip", () => {
    const huge = [1e308, 1e308, 1e308].map((value, i) => toEvent({ t: 0, type: "purchase", value }, i));
    const tiny = [-1e308, -1e308].map((value, i) => toEvent({ t: 0, type: "refund", value }, i));
    for (const [def, events, expected] of [
      [{ sum: "purchase.value" }, huge, Number.MAX_VALUE],
      [{ avg: "purchase.value" }, huge, Number.MAX_VALUE / 3],
      [{ sum: "refund.value" }, tiny, -Number.MAX_VALUE],
    ] as const) {
      const spec: MetricSpec = { name: "m", def };
      const stored = JSON.parse(JSON.stringify(rollupOf(spec, events, 0))) as Rollup;
      expect(metricValue(spec, stored, 0, 0)).toBe(expected);
    }
  });

  it("reads own properties only", () => {
    const spec: MetricSpec = { name: "s", def: { last: "x.constructor" } };
    const rollup = rollupOf(spec, [toEvent({ t: 0, type: "x" }, 0)], 0);
    expect(metricValue(spec, rollup, 0, 0)).toBeNull();
  });
});

describe("dayNumber", () => {
  it.each([
    ["1970-01-01T00:00:00Z", 0, 0],
    ["1970-01-01T23:59:59Z", 0, 0],
    ["1970-01-02T00:00:00Z", 0, 1],
    ["2026-03-10T23:30:00Z", -120, dayNumber(Date.parse("2026-03-11T00:00:00Z"), 0)],
    ["2026-03-10T03:00:00Z", 300, dayNumber(Date.parse("2026-03-09T00:00:00Z"), 0)],
    ["1969-12-31T23:00:00Z", 0, -1],
  ] as const)("%s at offset %i is day %i", (iso, tz, expected) => {
    expect(dayNumber(Date.parse(iso), tz)).toBe(expected);
  });
});

describe("property: merging the rollup of pruned events with the rollup of kept events changes no metric", () => {
  const DAY = 86_400_000;
  const start = Date.parse("2026-01-01T00:00:00Z");
  const kinds = ["count", "sum", "avg", "min", "max", "distinct", "first", "last", "daysSince"] as const;
  // Dense on purpose: few types, few days, mostly numeric values, so that both halves often feed the same bucket
  // and equal times (ties for first/last) are common.
  const event = fc.record({
    t: fc.integer({ min: 0, max: 12 }).map((q) => start + q * 12 * 3_600_000),
    type: fc.constantFrom("pageview", "purchase"),
    path: fc.constantFrom("/", "/pricing", "/pricing/team"),
    value: fc.oneof(
      { arbitrary: fc.integer({ min: -50, max: 50 }), weight: 4 },
      { arbitrary: fc.constantFrom("a", "b", "7", null, true), weight: 1 },
    ),
  });
  const spec = fc.record({
    kind: fc.constantFrom(...kinds),
    type: fc.constantFrom("pageview", "purchase"),
    withinDays: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    pricingOnly: fc.boolean(),
  });

  it("for every kind, window and where", () => {
    fc.assert(
      fc.property(
        spec,
        fc.array(event, { minLength: 2, maxLength: 30 }),
        fc.nat(),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(0, -120, 300),
        (s, raw, cut, nowDay, tz) => {
          const target = s.kind === "count" || s.kind === "daysSince" ? s.type : `${s.type}.value`;
          const def: MetricDef = { [s.kind]: target, ...(s.withinDays ? { withinDays: s.withinDays } : {}) };
          const m: MetricSpec = { name: "m", def, ...(s.pricingOnly ? { where: (e: SegmintEvent) => e.path.startsWith("/pricing") } : {}) };
          const events = raw.map((e, i): SegmintEvent => ({ id: `e${i}`, sid: "s", ...e }));
          const k = events.length ? cut % (events.length + 1) : 0;
          const now = start + nowDay * DAY + 12 * 3_600_000;
          const all = rollupOf(m, events, tz);
          const merged = mergeRollups(rollupOf(m, events.slice(0, k), tz), rollupOf(m, events.slice(k), tz));
          expect(valueAt(m, merged, now, tz)).toEqual(valueAt(m, all, now, tz));
          if (s.withinDays) {
            // pruning to the window changes nothing either
            pruneRollup(merged, dayNumber(now, tz) - s.withinDays + 1);
            expect(valueAt(m, merged, now, tz)).toEqual(valueAt(m, all, now, tz));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
