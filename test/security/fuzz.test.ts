// Fuzzing the entry points that take data from the page, the store or a site's code: random event histories
// through the engine and `simulate`, random DOM trees under random change lists, and random public-API calls.
// Nothing may throw, and the applier must leave the page exactly as it found it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// Thousands of property runs: on a loaded two-core machine they need more than vitest's default 5 s per test.
vi.setConfig({ testTimeout: 30_000 });
import fc from "fast-check";
import { IDBFactory } from "fake-indexeddb";
import { createEngine, type Environment } from "../../src/rules/engine";
import { parseRules } from "../../src/rules/schema";
import { simulate, type History } from "../../src/rules/simulate";
import { createApplier, type WantedExperience } from "../../src/act/apply";
import { createSegmint } from "../../src/create";
import type { Segmint } from "../../src/sdk";
import type { Change, SegmintEvent } from "../../src/rules/types";

const SEED = 20261122;
const DAY = 86_400_000;
const now = Date.parse("2026-11-20T12:00:00Z");

const rules = parseRules({
  version: 1,
  groups: { big: [100, 1000] },
  metrics: {
    views: { count: "pageview" },
    recentViews: { count: "pageview", withinDays: 7, where: { path: { $regex: "^/shop" } } },
    revenue: { sum: "purchase.value" },
    revenue30: { sum: "purchase.value", withinDays: 30, where: { currency: { $in: ["EUR", "USD"] } } },
    avgOrder: { avg: "purchase.value", withinDays: 90 },
    smallest: { min: "purchase.value" },
    largest: { max: "purchase.value", where: { value: { $gt: 0 } } },
    queries: { distinct: "search.query", withinDays: 14 },
    firstPath: { first: "pageview.path" },
    lastQuery: { last: "search.query", where: { query: { $exists: true } } },
    daysSincePurchase: { daysSince: "purchase" },
    daysSinceClick: { daysSince: "click", withinDays: 3 },
    dwellSeconds: { sum: "dwell.seconds", withinDays: 1 },
  },
  segments: [
    { id: "all", when: {} },
    { id: "runner", when: { "interests.running": { $gt: 0.5 } } },
    { id: "buyer", when: { "metrics.revenue": { $gte: 100 } }, stickyDays: 2 },
    { id: "big", when: { "metrics.largest": { $inGroup: "big" } } },
    { id: "searcher", when: { searches: { $size: { $gt: 0 } }, "metrics.lastQuery": { $regexi: "shoe" } } },
    { id: "reader", when: { $or: [{ pages: { $elemMatch: { $regex: "^/blog" } } }, { "interests.content": { $gte: 0.2 } }] } },
    { id: "lapsed", when: { $not: { "metrics.daysSincePurchase": { $lt: 30 } }, segments: { $elemMatch: { $eq: "buyer" } } } },
  ],
  interests: {
    halfLifeDays: 7,
    tags: [
      { when: { "page.path": { $regex: "^/shoes" } }, tags: ["running"] },
      { when: { "page.path": { $regex: "^/blog" } }, tags: ["content"] },
    ],
  },
  experiences: [
    { id: "hero", segment: "buyer", changes: [{ selector: "#hero", text: "Hi {{traits.name|there}}" }] },
    { id: "ab", variants: [{ id: "a", changes: [{ selector: "h1", text: "A" }] }, { id: "b", changes: [{ selector: "h1", addClass: "x" }] }] },
  ],
});

function env(path: string, traits: Record<string, never> = {}): Environment {
  return {
    now,
    page: { url: `https://shop.example${path}`, path, host: "shop.example", query: {}, hash: "", title: "", referrer: "", tags: [] },
    session: { id: "s2", number: 2, startedAt: now - 60_000, landing: "/", referrer: { url: "", host: "", type: "direct" }, utm: {} },
    visitor: { id: "v", firstSeen: now - 40 * DAY, lastSeen: now - 2 * DAY, sessions: 2 },
    device: { type: "desktop", touch: false, language: "en", languages: ["en"], timezone: "UTC", width: 1, height: 1 },
    traits,
  };
}

// ---- generators -------------------------------------------------------------------------------------------------

const eventType = fc.oneof(
  fc.constantFrom("pageview", "dwell", "search", "click", "purchase", "segment", "exposure"),
  fc.string({ maxLength: 12 }),
);
const time = fc.oneof(
  fc.integer({ min: now - 400 * DAY, max: now + DAY }),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
);
const path = fc.oneof(fc.constantFrom("/", "/shoes/trail", "/blog/x", "/shop"), fc.string({ maxLength: 30 }));
const json = fc.jsonValue({ maxDepth: 2 });
// Summed fields stay below 1e15 in magnitude: two values near Number.MAX_VALUE add up to Infinity, which a `sum`
// metric then reports (reported as a finding, not a crash; everything else about such values is still fuzzed).
const bounded = (v: unknown) => typeof v !== "number" || Math.abs(v) < 1e15;
const amount = fc.oneof(
  fc.integer({ min: -1e6, max: 1e9 }),
  fc.double({ min: -1e15, max: 1e15, noNaN: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MIN_VALUE),
  json.filter(bounded),
);
const extra = fc.record(
  {
    seconds: amount,
    value: amount,
    query: fc.oneof(fc.string({ maxLength: 300 }), json),
    tags: fc.oneof(fc.array(fc.constantFrom("running", "content", "yoga", "__proto__", "constructor")), json),
    currency: fc.oneof(fc.constantFrom("EUR", "USD"), json),
  },
  { requiredKeys: [] },
);
const rawEvent = fc
  .tuple(
    fc.record({ id: fc.string({ maxLength: 8 }), t: time, type: eventType, sid: fc.constantFrom("s1", "s2", "s3", ""), path }),
    extra,
    fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 3 }),
  )
  .map(([base, props, random]) => ({ ...random, ...props, ...base }) as unknown as SegmintEvent);
const history = fc.array(rawEvent, { maxLength: 30 });

// first/last carry the event's own value (any JSON, as `pageview.utm.source` may be); the others are numbers or null.
const ANY_JSON = new Set(["firstPath", "lastQuery"]);
function expectJsonMetrics(metrics: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(metrics)) {
    const numeric = value === null || (typeof value === "number" && Number.isFinite(value));
    if (!ANY_JSON.has(name)) expect(numeric, `metric ${name} = ${String(value)}`).toBe(true);
    // (-0 is a number JSON writes as 0: compare what JSON keeps)
    const text = JSON.stringify(value);
    expect(JSON.stringify(JSON.parse(text)), `metric ${name} is JSON`).toBe(text);
  }
}

// ---- 1. the engine ----------------------------------------------------------------------------------------------

describe("fuzz: engine over random histories", () => {
  it("load / add / evaluate / fold / explain never throw and metrics stay JSON", () => {
    fc.assert(
      fc.property(history, fc.nat(30), path, fc.integer({ min: -840, max: 840 }), (events, k, here, tz) => {
        const engine = createEngine(rules, tz);
        engine.load(events, undefined);
        const first = engine.evaluate(env(here), [], {});
        expectJsonMetrics(first.context.metrics);
        for (const e of events.slice(0, 5)) engine.add(e);
        const { context, stickyUntil } = engine.evaluate(env(here), first.context.segments, first.stickyUntil);
        expectJsonMetrics(context.metrics);
        expect(Array.isArray(context.segments)).toBe(true);
        const archive = engine.fold(events.slice(0, k), undefined);
        const again = createEngine(rules, tz);
        again.load(events.slice(k), JSON.parse(JSON.stringify(archive)));
        expectJsonMetrics(again.evaluate(env(here), [], {}).context.metrics);
        for (const s of rules.segments) engine.explain(s.id, context, stickyUntil, now);
        expect(engine.explain("no-such-segment", context, {}, now)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

// ---- 2. simulate ----------------------------------------------------------------------------------------------

describe("fuzz: simulate over random histories", () => {
  it("never throws", () => {
    const simEvent = fc
      .tuple(
        fc.record(
          { t: fc.oneof(time, fc.constantFrom("2026-11-01", "2026-11-19T10:00:00Z")), type: eventType, path: fc.constantFrom("/", "/shoes", "/blog/a") },
          { requiredKeys: ["t", "type"] },
        ),
        extra,
      )
      .map(([base, props]) => ({ ...props, ...base }));
    const sim = fc.record(
      {
        now: fc.oneof(fc.integer({ min: now - DAY, max: now + DAY }), fc.constant("2026-11-20T12:00:00Z")),
        page: fc.record({ url: fc.constantFrom("https://shop.example/", "https://shop.example/shoes?q=1&utm_source=x") }),
        traits: fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 3 }),
        visitorId: fc.string({ maxLength: 10 }),
        timezoneOffsetMinutes: fc.integer({ min: -840, max: 840 }),
        events: fc.array(simEvent, { maxLength: 25 }),
      },
      { requiredKeys: ["events"] },
    );
    fc.assert(
      fc.property(sim, (h) => {
        const result = simulate(rules, h as unknown as History);
        expect(Array.isArray(result.segments)).toBe(true);
        expectJsonMetrics(result.metrics);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

// ---- 3. the applier on random DOMs ------------------------------------------------------------------------------

const TAGS = ["div", "span", "p", "a", "section", "h1", "ul", "li", "b", "template"];
const IDS = ["hero", "x", "tpl", "y"];
const CLASSES = ["cta", "big", "old", "a", "b"];

interface NodeSpec {
  tag: string;
  id?: string | undefined;
  classes: string[];
  text: string;
  children: NodeSpec[];
}
// Bounded nesting (depth ≤ 3, ≤ 3 children): small trees, no recursion blow-up.
function treeOf(depth: number): fc.Arbitrary<NodeSpec> {
  return fc.record({
    tag: fc.constantFrom(...TAGS),
    id: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
    classes: fc.subarray(CLASSES),
    text: fc.oneof(fc.constant(""), fc.string({ maxLength: 10 })),
    children: depth === 0 ? fc.constant([]) : fc.array(treeOf(depth - 1), { maxLength: 3 }),
  });
}
const tree = treeOf(3);

function build(spec: NodeSpec): Element {
  const el = document.createElement(spec.tag);
  if (spec.id) el.id = spec.id;
  if (spec.classes.length) el.className = spec.classes.join(" ");
  const parent = el instanceof HTMLTemplateElement ? el.content : el;
  if (spec.text) parent.append(document.createTextNode(spec.text));
  for (const child of spec.children) parent.append(build(child));
  return el;
}

const selector = fc.oneof(
  fc.constantFrom(...TAGS),
  fc.constantFrom(...IDS.map((i) => `#${i}`)),
  fc.constantFrom(...CLASSES.map((c) => `.${c}`)),
  fc.constantFrom("div > span", "p a", "*", "body *", "section .cta"),
  fc.string({ maxLength: 10 }),
);
const words = fc.oneof(fc.string({ maxLength: 12 }), fc.array(fc.oneof(fc.constantFrom(...CLASSES), fc.string({ maxLength: 6 })), { maxLength: 3 }));
const contentOp = fc.oneof(
  fc.record({ text: fc.string({ maxLength: 12 }) }),
  fc.record({ template: fc.oneof(fc.constantFrom("#tpl", "template", "#x"), fc.string({ maxLength: 6 })) }),
  fc.record({
    insert: fc.record(
      {
        position: fc.constantFrom("before", "after", "prepend", "append"),
        text: fc.string({ maxLength: 8 }),
        template: fc.constantFrom("#tpl", "template"),
      },
      { requiredKeys: ["position"] },
    ),
  }),
  fc.record({ html: fc.string({ maxLength: 20 }) }),
  fc.constant({}),
);
const change: fc.Arbitrary<Change> = fc
  .tuple(
    fc.record({ selector }),
    contentOp,
    fc.record(
      {
        href: fc.oneof(fc.constantFrom("/x", "https://a.example/", "javascript:alert(1)", "mailto:a@b"), fc.string({ maxLength: 10 })),
        attributes: fc.dictionary(
          fc.oneof(fc.constantFrom("title", "data-x", "href", "onclick", "style", "class", "id", "src"), fc.string({ maxLength: 6 })),
          fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)),
          { maxKeys: 3 },
        ),
        addClass: words,
        removeClass: words,
        hide: fc.boolean(),
        show: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([s, c, rest]) => ({ ...s, ...c, ...rest }) as Change);
const wanted: fc.Arbitrary<WantedExperience[]> = fc.uniqueArray(
  fc.record({ id: fc.constantFrom("e1", "e2", "e3"), variant: fc.constantFrom("a", "b"), changes: fc.array(change, { maxLength: 3 }) }),
  { selector: (w) => w.id, maxLength: 3 },
);

// outerHTML with each element's attributes in name order (template contents included): undoing `attributes:
// { id: null }` puts the attribute back at the end of the list, the same DOM in another attribute order.
function canonical(root: Element): string {
  const copy = root.cloneNode(true) as Element;
  const sortAttributes = (scope: Element | DocumentFragment) => {
    for (const el of [...(scope instanceof Element ? [scope] : []), ...scope.querySelectorAll("*")]) {
      const attrs = Array.from(el.attributes, (a) => [a.name, a.value] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [name] of attrs) el.removeAttribute(name);
      for (const [name, value] of attrs) el.setAttribute(name, value);
      if (el instanceof HTMLTemplateElement) sortAttributes(el.content);
    }
  };
  sortAttributes(copy);
  return copy.outerHTML;
}

describe("fuzz: applier on random DOM trees", () => {
  afterEach(() => document.body.replaceChildren());

  it("undoing hide on an element without a class attribute leaves none (found by this fuzzer)", () => {
    document.body.replaceChildren(build({ tag: "div", id: "hero", classes: [], text: "", children: [] }));
    const applier = createApplier(document, { refuse: () => {}, onApplied: () => {}, sanitize: () => "" });
    applier.sync([{ id: "e1", variant: "a", changes: [{ selector: "#hero", hide: true }] }]);
    applier.destroy();
    expect(document.body.outerHTML).toBe('<body><div id="hero"></div></body>');
  });

  it("sync sequences never throw and destroy restores the body exactly", () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), fc.array(wanted, { minLength: 1, maxLength: 4 }), (trees, steps) => {
        document.body.replaceChildren(...trees.map(build));
        const before = canonical(document.body);
        const applier = createApplier(document, { refuse: () => {}, onApplied: () => {}, sanitize: () => "" });
        for (const step of steps) applier.sync(step);
        applier.destroy();
        expect(canonical(document.body)).toBe(before);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

// ---- 4. the public API ----------------------------------------------------------------------------------------

const apiRules = {
  version: 1,
  metrics: { purchases: { count: "purchase" }, revenue: { sum: "purchase.value" } },
  segments: [
    { id: "seen-before", when: { "visitor.pageviews": { $gte: 2 } } },
    { id: "buyer", when: { "metrics.purchases": { $gte: 1 } } },
    { id: "vip", when: { "traits.plan": "enterprise" } },
  ],
  experiences: [
    { id: "hero", segment: "seen-before", changes: [{ selector: "#hero h1", text: "Welcome back, {{traits.firstName|friend}}!" }] },
    { id: "offer", trigger: "load", offer: { title: "Hi", body: "An offer" } },
  ],
};

type Call = { name: string; args: unknown[] };
const call: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(fc.oneof(eventType, fc.anything()), fc.anything()).map(([t, p]) => ({ name: "track", args: [t, p] })),
  fc.anything().map((t) => ({ name: "setTraits", args: [t] })),
  fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("/pricing", "https://shop.example/a?q=1", "#x")), { nil: undefined })
    .map((u) => ({ name: "page", args: u === undefined ? [] : [u] })),
  fc.array(fc.oneof(fc.anything(), fc.tuple(fc.constantFrom("track", "setTraits", "page", "consent", "destroy"), fc.anything())), { maxLength: 3 })
    .map((cmds) => ({ name: "push", args: cmds })),
  fc.oneof(fc.constantFrom("offer", "hero", "nope"), fc.string({ maxLength: 6 })).map((id) => ({ name: "showOffer", args: [id] })),
  fc.oneof(fc.constantFrom("buyer", "vip"), fc.string({ maxLength: 6 }), fc.anything()).map((id) => ({ name: "explain", args: [id] })),
  fc.oneof(fc.constantFrom("granted", "denied", "pending"), fc.string({ maxLength: 8 })).map((s) => ({ name: "consent", args: [s] })),
);

describe("fuzz: the public API", () => {
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
    localStorage.clear();
    sessionStorage.clear();
    document.documentElement.className = "";
    document.body.innerHTML = `<section id="hero"><h1>Automate the busywork</h1></section><p>after</p>`;
    vi.spyOn(console, "warn").mockImplementation(() => {}); // bad calls are reported once per instance, by design
  });
  afterEach(() => vi.restoreAllMocks());

  it("no call throws and segments() is always an array", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 12 }), async (calls) => {
        const errors: unknown[] = [];
        const sm: Segmint = createSegmint({ rules: apiRules, sanitize: () => "" });
        try {
          sm.on("error", (e) => void errors.push(e));
          for (const [i, { name, args }] of calls.entries()) {
            (sm as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
            expect(Array.isArray(sm.segments())).toBe(true);
            if (i === 2) await sm.ready;
          }
          await sm.ready;
          await new Promise((r) => setTimeout(r, 0));
          expect(Array.isArray(sm.segments())).toBe(true);
          expect(errors.filter((e) => (e as { code?: string }).code === "SEGMINT_INTERNAL")).toEqual([]);
        } finally {
          sm.destroy();
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
