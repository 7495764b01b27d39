// Prototype pollution, both ways (issue 9), in jsdom + fake-indexeddb as test/sdk.test.ts: rules, traits and event
// props carrying `__proto__` / `constructor.prototype` / `prototype` keys change nothing global; and a page whose
// Object.prototype is already polluted (enumerable `$or`, `$where`, `then`, `polluted`, `$and`,
// `$exists`, `$regex`, `all` — the name of a metric's all-time bucket) gets the same segments,
// metrics and experiences as a clean one.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { createSegmint } from "../../src/create";
import { compileRules } from "../../src/rules/compile";
import { evalCondition } from "../../src/rules/condition";
import { parseRules, safeParseRules } from "../../src/rules/schema";
import type { Segmint } from "../../src/sdk";
import type { Json } from "../../src/rules/types";

const NOW = Date.UTC(2026, 10, 20, 12);

// Payloads as an attacker gets them in: through JSON.parse, which makes `__proto__` an own key.
const PAYLOADS = [
  `{"__proto__": {"polluted": "yes"}}`,
  `{"constructor": {"prototype": {"polluted": "yes"}}}`,
  `{"prototype": {"polluted": "yes"}}`,
  `{"a": {"__proto__": {"polluted": "yes"}}, "b": [{"__proto__": {"polluted": "yes"}}]}`,
].map((json) => JSON.parse(json) as Record<string, Json>);

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const CLEAN_PROTOTYPE = prototypeNames();

/** Nothing global changed: no inherited `polluted`, Object.prototype and Array.prototype as they were. */
function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(prototypeNames()).toEqual(CLEAN_PROTOTYPE);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

// Metrics, segments and experiences whose answers a polluted prototype could change if anything read inherited keys.
const rules = {
  version: 1,
  groups: { staff: ["ada"] },
  metrics: {
    views: { count: "pageview" },
    spend: { sum: "purchase.value" },
    plans: { distinct: "purchase.plan" },
    lastPlan: { last: "purchase.plan" },
    // Allowed names that are also Object.prototype members (`constructor`, `prototype` are refused as names).
    toString: { count: "purchase" },
    valueOf: { sum: "purchase.value" },
  },
  segments: [
    { id: "viewer", when: { "metrics.views": { $gte: 1 } } },
    { id: "buyer", when: { "metrics.spend": { $gt: 10 }, "metrics.toString": 1, "metrics.valueOf": 49 } },
    { id: "has-polluted", when: { $or: [{ "traits.polluted": { $exists: true } }, { "page.query.polluted": { $exists: true } }] } },
    { id: "proto-path", when: { "traits.constructor.prototype.polluted": "yes" } },
    { id: "staff", when: { "traits.name": { $inGroup: "staff" } } },
    { id: "not-pro", when: { "traits.plan": { $ne: "pro" } } },
  ],
  experiences: [{ id: "hero", segment: "buyer", changes: [{ selector: "#hero", text: "Thanks, buyer" }] }],
};

let instances: Segmint[] = [];
function start(json: unknown = rules): Segmint {
  const sm = createSegmint({ rules: json as typeof rules, consent: "granted", now: () => NOW });
  instances.push(sm);
  return sm;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  document.documentElement.className = "";
  document.body.innerHTML = `<h1 id="hero">Hello</h1>`;
});
afterEach(() => {
  for (const sm of instances) sm.destroy();
  instances = [];
  expectNoPollution();
});

/** What a visitor's state looks like after one page view, a purchase and some traits. */
async function visit(): Promise<{ segments: string[]; metrics: unknown; experiences: unknown; hero: string | null | undefined }> {
  const sm = start();
  await sm.ready;
  sm.setTraits({ name: "ada", plan: "free" });
  sm.track("purchase", { value: 49, plan: "pro" });
  await Promise.resolve();
  await Promise.resolve();
  return {
    segments: sm.segments(),
    metrics: { ...sm.context()?.metrics },
    experiences: sm.experiences(),
    hero: document.querySelector("#hero")?.textContent,
  };
}

describe("hostile keys from rules, traits and events change nothing global", () => {
  it("setTraits and track with __proto__ / constructor.prototype / prototype payloads", async () => {
    const sm = start();
    await sm.ready;
    for (const payload of PAYLOADS) {
      sm.setTraits(payload);
      sm.track("signup", payload);
      sm.push(["setTraits", payload], ["track", "signup", payload]);
    }
    await Promise.resolve();
    await Promise.resolve();
    expectNoPollution();
    // Own-property lookups: the traits' own `__proto__`/`constructor` keys are data, not a way to the prototype.
    expect(sm.segments()).not.toContain("has-polluted");
    expect(sm.segments()).not.toContain("proto-path");
    const exported = (await sm.export()) as { events: unknown[] };
    expect(exported.events.length).toBeGreaterThan(0);
    expectNoPollution();
  });

  it("parseRules, safeParseRules and compileRules on files with __proto__, constructor and prototype keys", () => {
    const files = [
      `{"version": 1, "__proto__": {"polluted": "yes"}}`,
      `{"version": 1, "groups": {"__proto__": ["x"]}}`,
      `{"version": 1, "metrics": {"__proto__": {"count": "pageview"}}}`,
      `{"version": 1, "segments": [{"id": "a", "when": {"__proto__": {"polluted": "yes"}}}]}`,
      `{"version": 1, "segments": [{"id": "a", "when": {"x": {"$in": [{"__proto__": {"polluted": "yes"}}]}}}]}`,
      `{"version": 1, "segments": [{"id": "a", "when": {"constructor.prototype.polluted": "yes"}}]}`,
      `{"version": 1, "tracking": {"constructor": {"prototype": {"polluted": "yes"}}}}`,
      `{"version": 1, "experiences": [{"id": "e", "changes": [{"selector": "h1", "attributes": {"__proto__": "x"}}]}]}`,
      `{"version": 1, "profiling": {"fields": [{"name": "__proto__"}, {"name": "prototype"}]}}`,
    ].map((json) => JSON.parse(json) as unknown);
    for (const file of files) {
      safeParseRules(file);
      compileRules(file, { isValidSelector: () => true });
      try {
        parseRules(file);
      } catch {
        // rejected is fine; polluting is not
      }
      expectNoPollution();
    }
    // `__proto__` is refused by both validators wherever it appears.
    for (const file of files.filter((f) => JSON.stringify(f).includes("__proto__"))) {
      expect(safeParseRules(file).success, JSON.stringify(file)).toBe(false);
      expect(compileRules(file, { isValidSelector: () => true }).ok, JSON.stringify(file)).toBe(false);
    }
  });

  it("createSegmint with a rules file carrying __proto__ keys rejects it and stays inert", async () => {
    const sm = start(JSON.parse(`{"version": 1, "segments": [{"id": "a", "when": {"__proto__": {"polluted": "yes"}}}]}`));
    await sm.ready;
    expect(sm.segments()).toEqual([]);
    expectNoPollution();
  });

  it("operators and groups named after Object.prototype members are unknown, never called", () => {
    for (const op of ["$constructor", "$__proto__", "$toString", "$hasOwnProperty", "$valueOf", "$isPrototypeOf"]) {
      expect(evalCondition({ x: 1 }, { x: { [op]: 1 } }), op).toBe(false);
      expect(evalCondition({ x: 1 }, { [op]: [{ x: 1 }] } as never), op).toBe(false);
    }
    for (const group of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(evalCondition({ x: "a" }, { x: { $inGroup: group } }, {}), group).toBe(false);
      expect(evalCondition({ x: "a" }, { x: { $notInGroup: group } }, {}), group).toBe(true);
    }
    for (const path of ["constructor", "__proto__", "x.constructor", "x.__proto__", "toString", "x.length"]) {
      expect(evalCondition({ x: "abc" }, { [path]: { $exists: true } }), path).toBe(false);
    }
  });
});

describe("a page that polluted Object.prototype itself", () => {
  it("gets the same segments, metrics and experiences as a clean one", async () => {
    const clean = await visit();
    expect(clean.segments).toEqual(["viewer", "buyer", "staff", "not-pro"]);
    for (const sm of instances) sm.destroy();
    instances = [];
    globalThis.indexedDB = new IDBFactory();
    localStorage.clear();
    document.body.innerHTML = `<h1 id="hero">Hello</h1>`;

    const proto = Object.prototype as Record<string, unknown>;
    let polluted;
    try {
      // Plain assignment, as a careless library would: enumerable, so every for…in sees them.
      proto.$or = [{ "visitor.pageviews": { $gte: 0 } }];
      proto.$where = "return true";
      proto.then = "not callable"; // a callable one would make every object a thenable and hang any await
      proto.polluted = "yes";
      proto.$and = [{ "traits.plan": "pro" }];
      proto.$exists = true;
      proto.$regex = "^";
      proto.all = { count: 99 };
      polluted = await visit();
    } finally {
      for (const key of ["$or", "$where", "then", "polluted", "$and", "$exists", "$regex", "all"]) delete proto[key];
    }
    expect(polluted).toEqual(clean);
  });
});
