// The runtime validator (compile.ts, no zod) against the schema (schema.ts, zod): no rules file that safeParseRules
// rejects may ever run in the page (DESIGN §5), and for files both accept the runtime must see the same Rules.
// jsdom environment: both sides check selectors with the same DOM parser, as the runtime does.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";

// Thousands of property runs: on a loaded two-core machine they need more than vitest's default 5 s per test.
vi.setConfig({ testTimeout: 30_000 });
import { compileRules } from "../../src/rules/compile";
import { safeParseRules } from "../../src/rules/schema";

const isValidSelector = (s: string): boolean => {
  try {
    document.createDocumentFragment().querySelector(s);
    return true;
  } catch {
    return false;
  }
};
const options = { isValidSelector };

const fixture = (name: string): unknown => JSON.parse(readFileSync(`test/fixtures/${name}`, "utf8"));
const bases: unknown[] = [fixture("design-example.rules.json"), fixture("kitchen-sink.rules.json"), { version: 1 }];

// ---- a generator of small valid rules files -------------------------------------------------------------------

const idArb = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/).filter((n) => !["constructor", "prototype"].includes(n));
const pathArb = fc.constantFrom("page.path", "session.referrer.type", "visitor.sessions", "traits.plan", "device.type");
const valueArb = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 50 }), fc.boolean());
const conditionArb = fc.oneof(
  fc.dictionary(pathArb, valueArb, { maxKeys: 2 }),
  fc.record({ [`visitor.sessions`]: fc.record({ $gt: fc.integer({ min: 0, max: 9 }) }) }),
  fc.record({ "page.path": fc.record({ $regex: fc.constantFrom("^/docs", "pricing$", "^/(a|b)/") }) }),
  fc.record({ $or: fc.array(fc.dictionary(pathArb, valueArb, { maxKeys: 1 }), { maxLength: 2 }) }),
);
const changeArb = fc.oneof(
  fc.record({ selector: fc.constantFrom("h1", "#hero .cta", "a.x", "main > p"), text: fc.string({ maxLength: 8 }) }),
  fc.record({ selector: fc.constant("img"), attributes: fc.constant({ alt: "x", src: "/a.png" }), hide: fc.constant(true) }),
  fc.record({ selector: fc.constant("a"), href: fc.constantFrom("/x", "https://e.com", "mailto:a@b.c"), addClass: fc.constantFrom("a", "a b", ["c"]) }),
);

const validRulesArb = fc
  .record({
    metrics: fc.dictionary(nameArb, fc.oneof(fc.record({ count: fc.constantFrom("pageview", "signup") }), fc.record({ sum: fc.constant("purchase.value"), withinDays: fc.integer({ min: 1, max: 30 }) })), { maxKeys: 2 }),
    segments: fc.uniqueArray(fc.record({ id: idArb, when: conditionArb }), { selector: (s) => s.id, maxLength: 3 }),
    experiences: fc.uniqueArray(
      fc.record(
        {
          id: idArb,
          changes: fc.array(changeArb, { minLength: 1, maxLength: 2 }),
          holdout: fc.double({ min: 0, max: 1, noNaN: true }),
          trigger: fc.constantFrom("load", { afterSeconds: 3 }, { scrollDepth: 40 }),
        },
        { requiredKeys: ["id", "changes"] },
      ),
      { selector: (e) => e.id, maxLength: 2 },
    ),
  })
  .map((r) => ({ version: 1, ...r }));

// ---- one-field mutations ---------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Location = { parent: Json[] | Record<string, Json | undefined>; key: string | number };

/** Every place in a document that holds a value. */
function locations(doc: Json): Location[] {
  const out: Location[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i }), walk(v)));
    else if (node && typeof node === "object") for (const k of Object.keys(node)) out.push({ parent: node, key: k }), walk(node[k]!);
  };
  walk(doc);
  return out;
}

/** Objects in a document, where a key can be added. */
function objects(doc: Json): Record<string, Json | undefined>[] {
  const out: Record<string, Json | undefined>[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") (out.push(node), Object.values(node).forEach((v) => walk(v!)));
  };
  walk(doc);
  return out;
}

// Values chosen to sit on the edges of what the two validators check.
const tricky: unknown[] = [
  undefined, null, true, false, 0, -0, -1, 0.5, 1, 1.5, 100, 101, 1e300, Number.NaN, Infinity, "", " ", "x", "load",
  "pageview", "purchase.", ".value", "purchase..x", "purchase.value", "javascript:alert(1)", "java\tscript:alert(1)",
  "&#106;avascript:x", "JaVaScRiPt:x", "data:text/html,x", "//evil.com", "#1a", "div::before", "a,,b", "> a", "h1",
  "$regx", "$regex", "(a+)+", "^/ok", "__proto__", "constructor", "hot-lead", "returning", "Bad Id", "a b", "-x",
  "2026-02-30", "2026-12-01", "2026-12-01T25:00", "2026-12-01T10:00:00.5Z", "onclick", "style", "srcdoc", "href",
  "control", [], [1], ["x"], {}, { x: 1 }, { $gt: 1 }, { $regx: 1 }, { "page.path": "/" }, { selector: "h1" },
];

/** Values near the one already there: the edges of ranges, near-miss strings, the wrong type. */
function nearby(current: unknown): unknown[] {
  if (typeof current === "number") {
    return [current + 1, current - 1, current * 10, -current, current + 0.5, current - 0.5, current + 1e-9, 0, -0, 1, 100, 101, 1e300, Number.NaN, String(current), null];
  }
  if (typeof current === "string") {
    return [`${current}x`, `x${current}`, current.toUpperCase(), ` ${current}`, `${current} `, `${current}.`, `.${current}`, current.slice(1), current.replace(".", ".."), "", 1, [current], null];
  }
  if (typeof current === "boolean") return [!current, String(current), 1, 0, null];
  if (Array.isArray(current)) return [[], [...current, ...current], current.slice(1), [...current, null], [...current, {}], current[0], {}];
  return [{}, [], "x", null, 1];
}

const jsonValue = fc.jsonValue({ maxDepth: 2 });
const someValue = fc.oneof(fc.constantFrom(...tricky), jsonValue, fc.string({ maxLength: 8 }));

/** Every key the base files use: a key that is valid somewhere else is the likeliest misplaced one. */
function keysOf(value: unknown, into = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, into));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (!into.has(k)) into.set(k, v);
      keysOf(v, into);
    }
  }
  return into;
}
/** Each key the base files use, with a value it has there. */
const knownValues = keysOf(bases);
const knownKeys = [...knownValues.keys()];
const someKey = fc.oneof(
  fc.constantFrom(...knownKeys),
  fc.constantFrom("selecter", "$regx", "$gt", "$in", "$and", "__proto__", "constructor", "x", "page.path", "on", "a..b", ""),
  fc.string({ maxLength: 6 }),
);

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "near"; at: number; pick: number }
  | { kind: "set"; at: number; value: unknown }
  | { kind: "add"; at: number; key: string; value: unknown }
  | { kind: "rename"; at: number; key: string };

const at = fc.nat();
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at }),
  { arbitrary: fc.record({ kind: fc.constant("near" as const), at, pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("set" as const), at, value: someValue }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("add" as const), at, key: someKey, value: fc.oneof(fc.constantFrom("h1", 1, true, {}, [], null), someValue) }), weight: 2 },
  fc.record({ kind: fc.constant("rename" as const), at, key: someKey }),
);

function define(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `base` with one mutation applied. */
function mutate(base: unknown, m: Mutation): unknown {
  const doc = structuredClone(base) as Json;
  if (m.kind === "add") {
    const all = objects(doc);
    if (all.length) define(all[m.at % all.length]!, m.key, m.value);
    return doc;
  }
  const all = locations(doc);
  if (!all.length) return m.kind === "set" ? m.value : doc;
  const { parent, key } = all[m.at % all.length]!;
  const current = (parent as Record<string, unknown>)[key];
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (m.kind === "set") define(parent, key, m.value);
  else if (m.kind === "near") {
    const options = nearby(current);
    define(parent, key, options[m.pick % options.length]);
  } else if (!Array.isArray(parent)) {
    delete parent[key as string];
    define(parent, m.key, current);
  }
  return doc;
}

/** The fail-closed property, and equal results where both accept; also flags files only the runtime refuses. */
function agree(input: unknown, label = ""): void {
  const parsed = safeParseRules(input, options);
  const compiled = compileRules(input, options);
  if (!parsed.success) {
    expect(compiled.ok, `${label}: compileRules accepted a file parseRules rejects:\n${parsed.error.message}`).toBe(false);
    return;
  }
  expect(compiled.ok ? [] : compiled.issues, `${label}: compileRules rejected a file parseRules accepts`).toEqual([]);
  if (compiled.ok) expect(compiled.rules, label).toStrictEqual(parsed.data);
}

describe("compileRules agrees with safeParseRules", () => {
  it("accepts the base files, with the same result", () => {
    for (const base of bases) {
      const parsed = safeParseRules(base, options);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      agree(base);
    }
  });

  it("generated valid files are valid on both sides, with the same result", () => {
    fc.assert(
      fc.property(validRulesArb, (rules) => {
        expect(safeParseRules(rules, options).success).toBe(true);
        agree(rules);
      }),
      { numRuns: 150 },
    );
  });

  it("one random mutation of a valid file: rejected by the runtime whenever the schema rejects it", () => {
    const baseArb = fc.oneof(fc.constantFrom(...bases), validRulesArb);
    fc.assert(
      fc.property(baseArb, mutationArb, (base, m) => agree(mutate(base, m))),
      { numRuns: 1500 },
    );
  });

  it("every place in the base files: deleted, each nearby value, a misplaced key added", () => {
    let runs = 0;
    const check = (base: unknown, m: Mutation) => {
      agree(mutate(base, m), JSON.stringify(m));
      runs++;
    };
    for (const base of bases) {
      const places = locations(structuredClone(base) as Json);
      places.forEach(({ parent, key }, at) => {
        check(base, { kind: "delete", at });
        const count = nearby((parent as Record<string, unknown>)[key]).length;
        for (let pick = 0; pick < count; pick++) check(base, { kind: "near", at, pick });
      });
      const targets = objects(structuredClone(base) as Json).length;
      for (let at = 0; at < targets; at++) {
        // A plain unknown key with values of each type, and a rotating sample of keys valid elsewhere.
                for (const value of ["h1", true, 1, {}]) check(base, { kind: "add", at, key: "x", value });
        for (let j = 0; j < 6; j++) {
          const key = knownKeys[(at * 7 + j * 13) % knownKeys.length]!;
          check(base, { kind: "add", at, key, value: knownValues.get(key) });
        }
      }
    }
    console.log(`sweep: ${runs} mutations`);
    expect(runs).toBeGreaterThan(2000);
  }, 60_000);

  it("two mutations, for interactions between fields", () => {
    fc.assert(
      fc.property(fc.constantFrom(...bases), mutationArb, mutationArb, (base, a, b) => agree(mutate(mutate(base, a), b))),
      { numRuns: 600 },
    );
  });
});

describe("never throws", () => {
  it("any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(typeof safeParseRules(value).success).toBe("boolean");
        expect(typeof compileRules(value).ok).toBe("boolean");
        agree(value);
      }),
      { numRuns: 300 },
    );
  });

  it("any value at all, and any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.json()), (value) => {
        const parsed = safeParseRules(value);
        const compiled = compileRules(value);
        if (!parsed.success) expect(compiled.ok).toBe(false);
        expect(parsed.success ? [] : parsed.error.issues.every((i) => typeof i.path === "string")).toBeTruthy();
      }),
      { numRuns: 300 },
    );
  });

  it("any value anywhere in a valid file", () => {
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.nat(), fc.anything(), (base, at, value) => agree(mutate(base, { kind: "set", at, value }))),
      { numRuns: 400 },
    );
  });
});

describe("without a DOM (Node)", () => {
  it("the runtime's default selector check never accepts what the Node default refuses", () => {
    const piece = fc.constantFrom("a", "h1", "#x", ".y", "*", "[b]", "[c='d']", "[e=f]", ":hover", "::before", ">", " ", "+", "~", ",", "(", ")", "1", "-", "\\", '"', "!");
    const selectorArb = fc.oneof(fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join("")), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(selectorArb, (selector) => {
        const file = { version: 1, experiences: [{ id: "e", changes: [{ selector, text: "x" }], goals: [{ click: selector }] }] };
        const parsed = safeParseRules(file);
        const compiled = compileRules(file);
        if (!parsed.success) expect(compiled.ok, selector).toBe(false);
        if (parsed.success && compiled.ok) expect(compiled.rules).toStrictEqual(parsed.data);
      }),
      { numRuns: 500 },
    );
  });
});
