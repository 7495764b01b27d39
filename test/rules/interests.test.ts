// @vitest-environment node
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addInterest, interestScores, mergeInterests, pruneInterests, tagsForPage, type InterestState,
} from "../../src/rules/interests";

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T12:00:00Z");
const H = 14;

type Ev = { tags: string[]; seconds: number; t: number };
const addAll = (state: InterestState, events: Ev[], h = H) => events.reduce((s, e) => addInterest(s, e.tags, e.seconds, e.t, h), state);

/** Each tag's score moved to `now`, unnormalised: the exact quantity the properties compare. */
function raw(state: InterestState, now: number, h = H): Record<string, number> {
  return Object.fromEntries(Object.entries(state).map(([tag, s]) => [tag, s.score * 2 ** (-(now - s.t) / (h * DAY))]));
}

/**
 * Same tags, and scores within 1e-9 relative to the top score: what normalisation keeps. (Relative to each score
 * alone, a tag decayed into subnormal floats could differ in its last representable bit between two orders.)
 */
function expectClose(a: Record<string, number>, b: Record<string, number>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  const scale = Math.max(0, ...Object.values(a), ...Object.values(b));
  for (const [tag, x] of Object.entries(a)) {
    const y = b[tag] as number;
    expect(Math.abs(x - y), `${tag}: ${x} vs ${y}`).toBeLessThanOrEqual(1e-9 * scale);
  }
}

describe("addInterest", () => {
  it("starts a tag at its seconds, as of the event's time", () => {
    expect(addInterest({}, ["docs", "api"], 30, T0, H)).toEqual({ docs: { score: 30, t: T0 }, api: { score: 30, t: T0 } });
  });

  it("halves a score over one half-life before adding", () => {
    const s = addAll({}, [{ tags: ["docs"], seconds: 40, t: T0 }, { tags: ["docs"], seconds: 10, t: T0 + H * DAY }]);
    expect(s.docs).toEqual({ score: 30, t: T0 + H * DAY });
  });

  it("decays a late event forward to the stored time instead of moving the stored score back", () => {
    const s = addAll({}, [{ tags: ["docs"], seconds: 10, t: T0 + H * DAY }, { tags: ["docs"], seconds: 40, t: T0 }]);
    expect(s.docs).toEqual({ score: 30, t: T0 + H * DAY });
  });

  it("does not change the state it was given", () => {
    const before = addInterest({}, ["docs"], 10, T0, H);
    const copy = structuredClone(before);
    addInterest(before, ["docs", "api"], 5, T0 + DAY, H);
    expect(before).toEqual(copy);
  });

  it("ignores zero, negative and non-finite seconds or times", () => {
    const s = addInterest({}, ["docs"], 10, T0, H);
    expect(addInterest(s, ["docs"], 0, T0, H)).toBe(s);
    expect(addInterest(s, ["docs"], -5, T0, H)).toBe(s);
    expect(addInterest(s, ["docs"], Number.NaN, T0, H)).toBe(s);
    expect(addInterest(s, ["docs"], Infinity, T0, H)).toBe(s);
    expect(addInterest(s, ["docs"], 5, Number.NaN, H)).toBe(s);
  });

  it("treats a half-life that is not positive as no decay", () => {
    expect(addAll({}, [{ tags: ["a"], seconds: 1, t: T0 }, { tags: ["a"], seconds: 2, t: T0 + 99 * DAY }], 0).a).toEqual({ score: 3, t: T0 + 99 * DAY });
  });

  it("never lets a tag set the state's prototype", () => {
    const s = addInterest({}, ["__proto__", "constructor"], 10, T0, H);
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    expect(Object.keys(s)).toEqual(["constructor"]);
    expect(addInterest(s, ["constructor"], 10, T0, H).constructor).toEqual({ score: 20, t: T0 });
  });
});

describe("mergeInterests", () => {
  it("sums tags present in both at the later time and keeps the others", () => {
    const a = { docs: { score: 40, t: T0 }, api: { score: 5, t: T0 } };
    const b = { docs: { score: 10, t: T0 + H * DAY }, pricing: { score: 7, t: T0 + DAY } };
    expect(mergeInterests(a, b, H)).toEqual({ docs: { score: 30, t: T0 + H * DAY }, api: { score: 5, t: T0 }, pricing: { score: 7, t: T0 + DAY } });
    expect(mergeInterests(b, a, H)).toEqual(mergeInterests(a, b, H));
  });
});

describe("interestScores", () => {
  it("normalises so the top interest is 1, highest first, rounded to 3 decimals", () => {
    const s = { docs: { score: 30, t: T0 }, api: { score: 10, t: T0 }, pricing: { score: 20, t: T0 - H * DAY } };
    const scores = interestScores(s, T0, H);
    expect(scores).toEqual({ docs: 1, api: 0.333, pricing: 0.333 });
    expect(Object.keys(scores)).toEqual(["docs", "api", "pricing"]);
  });

  it("does not depend on when it is read, only on the relative decay", () => {
    const s = { docs: { score: 30, t: T0 }, api: { score: 15, t: T0 } };
    expect(interestScores(s, T0 + 100 * DAY, H)).toEqual({ docs: 1, api: 0.5 });
  });

  it("lets an old interest fade below a recent one", () => {
    const s = addAll({}, [{ tags: ["docs"], seconds: 600, t: T0 }, { tags: ["pricing"], seconds: 100, t: T0 + 60 * DAY }]);
    expect(interestScores(s, T0 + 60 * DAY, H)).toEqual({ pricing: 1, docs: 0.308 }); // 6 × 2^(-60/14) ≈ 0.3076
  });

  it("drops tags under 0.001 of the top", () => {
    expect(interestScores({ a: { score: 10_000, t: T0 }, b: { score: 9, t: T0 }, c: { score: 10, t: T0 } }, T0, H)).toEqual({ a: 1, c: 0.001 });
  });

  it("keeps the top 50, ties broken by tag", () => {
    const s: InterestState = {};
    for (let i = 0; i < 60; i++) s[`t${String(i).padStart(2, "0")}`] = { score: i < 10 ? 1 : 2, t: T0 };
    const scores = interestScores(s, T0, H);
    expect(Object.keys(scores)).toHaveLength(50);
    expect(Object.keys(scores)).toEqual(Array.from({ length: 50 }, (_, i) => `t${i + 10}`));
  });

  it("is empty for an empty state or one whose scores are all gone", () => {
    expect(interestScores({}, T0, H)).toEqual({});
    expect(interestScores({ a: { score: 1, t: T0 } }, T0 + 100_000 * DAY, H)).toEqual({});
  });
});

describe("pruneInterests", () => {
  it("keeps the strongest tags as of now", () => {
    const s = { old: { score: 100, t: T0 - 10 * H * DAY }, mid: { score: 5, t: T0 }, top: { score: 50, t: T0 } };
    expect(pruneInterests(s, T0, H, 2)).toEqual({ top: s.top, mid: s.mid });
    expect(pruneInterests(s, T0, H)).toEqual(s);
  });
});

describe("tagsForPage", () => {
  const yes = () => true;
  const no = () => false;

  it("takes the meta tags, then the tags of each passing rule, normalised and deduplicated", () => {
    const rules = [
      { test: yes, tags: ["Technical", "docs"] },
      { test: no, tags: ["pricing"] },
      { test: yes, tags: [" API "] },
    ];
    expect(tagsForPage([" Docs", "docs ", "", "  "], rules, {})).toEqual(["docs", "technical", "api"]);
  });

  it("passes the context to the rule tests", () => {
    const rules = [{ test: (ctx: unknown) => (ctx as { page: { path: string } }).page.path.startsWith("/docs"), tags: ["technical"] }];
    expect(tagsForPage([], rules, { page: { path: "/docs/start" } })).toEqual(["technical"]);
    expect(tagsForPage([], rules, { page: { path: "/" } })).toEqual([]);
  });

  it("drops tags over 40 characters and __proto__, and keeps at most 20", () => {
    const long = "x".repeat(41);
    expect(tagsForPage([long, "y".repeat(40), "__proto__"], [], {})).toEqual(["y".repeat(40)]);
    const many = Array.from({ length: 30 }, (_, i) => `tag${i}`);
    expect(tagsForPage(many, [], {})).toEqual(many.slice(0, 20));
  });
});

// ---- properties -----------------------------------------------------------------------------------------------

const tagArb = fc.constantFrom("docs", "api", "pricing", "blog", "constructor");
const eventArb = fc.record({
  tags: fc.uniqueArray(tagArb, { minLength: 1, maxLength: 3 }),
  seconds: fc.integer({ min: 1, max: 3600 }),
  t: fc.integer({ min: T0 - 365 * DAY, max: T0 + 365 * DAY }),
});
const eventsArb = fc.array(eventArb, { maxLength: 25 });
const halfLifeArb = fc.constantFrom(0.5, 1, 7, 14, 90);

describe("interest properties (fast-check)", () => {
  it("adding events in any order gives the same scores", () => {
    fc.assert(
      fc.property(
        eventsArb.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }))),
        halfLifeArb,
        ([events, shuffled], h) => {
          const now = T0 + 400 * DAY;
          expectClose(raw(addAll({}, events, h), now, h), raw(addAll({}, shuffled, h), now, h));
          expect(interestScores(addAll({}, events, h), now, h)).toEqual(interestScores(addAll({}, events.slice().reverse(), h), now, h));
        },
      ),
    );
  });

  it("mergeInterests(a, b) equals adding all events to one state", () => {
    fc.assert(
      fc.property(eventsArb, eventsArb, halfLifeArb, (a, b, h) => {
        const now = T0 + 400 * DAY;
        const merged = mergeInterests(addAll({}, a, h), addAll({}, b, h), h);
        expectClose(raw(merged, now, h), raw(addAll({}, a.concat(b), h), now, h));
        expectClose(raw(merged, now, h), raw(mergeInterests(addAll({}, b, h), addAll({}, a, h), h), now, h));
      }),
    );
  });

  it("scores are in 0..1 with the top at 1, and at most 50", () => {
    fc.assert(
      fc.property(eventsArb, halfLifeArb, (events, h) => {
        // read at the latest event, whose own seconds have not decayed: a non-empty state always has a top
        const now = events.length ? Math.max(...events.map((e) => e.t)) : T0;
        const scores = Object.values(interestScores(addAll({}, events, h), now, h));
        if (events.length) expect(Math.max(...scores)).toBe(1);
        expect(scores.length).toBeLessThanOrEqual(50);
        for (const x of scores) expect(x >= 0.001 && x <= 1).toBe(true);
      }),
    );
  });
});
