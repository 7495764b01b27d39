import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileCondition, evalCondition, explainCondition, getPath } from "../../src/rules/condition";
import type { Condition, Groups } from "../../src/rules/types";

type Row = [name: string, condition: Condition, doc: unknown, expected: boolean, groups?: Groups];

// Read with JSON.parse, not a JSON import: rows rely on an own `"__proto__"` key, which an object literal would turn
// into a prototype.
function readRows(url: URL, section?: string): Row[] {
  const data: unknown = JSON.parse(readFileSync(fileURLToPath(url), "utf8"));
  return (section ? (data as Record<string, unknown>)[section] : data) as Row[];
}

// Through a variable: Vite rewrites the literal `new URL("…", import.meta.url)` into a served-asset URL.
const here = import.meta.url;
const table = readRows(new URL("../cases/conditions.json", here));
const conformanceUrl = new URL("../../../shared/conformance/growthbook-cases.json", here);
const hasConformance = existsSync(fileURLToPath(conformanceUrl));

describe("conditions (test/cases/conditions.json)", () => {
  it("has at least 80 rows", () => {
    expect(table.length).toBeGreaterThanOrEqual(80);
  });

  it.each(table.map((row, i) => [i, row[0], row] as const))("row %i: %s", (_i, _name, row) => {
    const [, condition, doc, expected, groups] = row;
    expect(evalCondition(doc, condition, groups)).toBe(expected);
    expect(compileCondition(condition, groups)(doc)).toBe(expected);
  });
});

describe.skipIf(!hasConformance)("GrowthBook conformance (shared/conformance/growthbook-cases.json)", () => {
  const rows = hasConformance ? readRows(conformanceUrl, "evalCondition") : [];

  it("has the 248 evalCondition rows", () => {
    expect(rows).toHaveLength(248);
  });

  // Names repeat in the file, so the row index is the test id.
  it.each(rows.map((row, i) => [i, row[0], row] as const))("row %i: %s", (_i, _name, row) => {
    const [, condition, attributes, expected, savedGroups] = row;
    expect(evalCondition(attributes, condition, savedGroups ?? {})).toBe(expected);
    expect(compileCondition(condition, savedGroups ?? {})(attributes)).toBe(expected);
  });
});

describe("a polluted Object.prototype changes no result", () => {
  const pollution: Record<string, unknown> = {
    $or: [{ never: "there" }],
    $and: [{ never: "there" }],
    $nor: [{}],
    $not: {},
    $eq: "polluted",
    $gt: 1e9,
    $regex: "(a+)+$",
    polluted: 1,
    x: 1,
    sku: "zzz",
    "vip-companies": ["nobody"],
    g: ["a", "b"],
    nope: ["acme"],
  };

  it("for every row of the table, compiled before or during the pollution", () => {
    const compiled = table.map(([, condition, , , groups]) => compileCondition(condition, groups));
    const proto = Object.prototype as unknown as Record<string, unknown>;
    const during: boolean[][] = [];
    try {
      for (const [key, value] of Object.entries(pollution)) proto[key] = value;
      for (const [i, [, condition, doc, , groups]] of table.entries()) {
        during.push([evalCondition(doc, condition, groups), compiled[i]!(doc)]);
      }
    } finally {
      for (const key of Object.keys(pollution)) delete proto[key];
    }
    // Asserted after cleaning up, so the test framework never runs with a polluted prototype.
    expect(during).toEqual(table.map(([, , , expected]) => [expected, expected]));
  });
});

describe("getPath", () => {
  const doc = { a: { b: [10, { c: "deep" }] }, n: null };

  it("reads own properties along a dot-path, array indexes included", () => {
    expect(getPath(doc, "a.b.0")).toBe(10);
    expect(getPath(doc, "a.b.1.c")).toBe("deep");
    expect(getPath(doc, "a.b.length")).toBe(2);
  });

  it("reads a missing or inherited step as null", () => {
    expect(getPath(doc, "a.x")).toBeNull();
    expect(getPath(doc, "n.x")).toBeNull();
    expect(getPath(doc, "constructor")).toBeNull();
    expect(getPath(doc, "a.__proto__")).toBeNull();
    expect(getPath(doc, "a.hasOwnProperty")).toBeNull();
    expect(getPath("text", "length")).toBeNull();
    expect(getPath(doc, 1 as unknown as string)).toBeNull();
    const hostile = Object.defineProperty({}, "x", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    expect(getPath(hostile, "x")).toBeNull();
  });
});

describe("explainCondition", () => {
  const doc = { a: { b: 3 }, c: 4, tags: ["x"] };

  it("gives one entry per operator of each path, and $eq for literals", () => {
    expect(explainCondition(doc, { "a.b": { $gt: 1, $lt: 5 }, c: 3 })).toEqual([
      { path: "a.b", operator: "$gt", expected: 1, actual: 3, pass: true },
      { path: "a.b", operator: "$lt", expected: 5, actual: 3, pass: true },
      { path: "c", operator: "$eq", expected: 3, actual: 4, pass: false },
    ]);
  });

  it("gives one entry per top-level logical operator", () => {
    const or = [{ c: 1 }, { "a.b": 3 }];
    expect(explainCondition(doc, { $or: or, $not: { c: 4 } })).toEqual([
      { path: "$or", operator: "$or", expected: or, actual: null, pass: true },
      { path: "$not", operator: "$not", expected: { c: 4 }, actual: null, pass: false },
    ]);
  });

  it("reports missing values as null and unknown operators as failing", () => {
    expect(explainCondition(doc, { missing: { $exists: false, $regx: "a" } })).toEqual([
      { path: "missing", operator: "$exists", expected: false, actual: null, pass: true },
      { path: "missing", operator: "$regx", expected: "a", actual: null, pass: false },
    ]);
  });

  it("agrees with evalCondition: the condition passes when every entry does", () => {
    for (const [, condition, row, , groups] of table) {
      const entries = explainCondition(row, condition, groups);
      const all = entries.every((e) => e.pass);
      // An object literal holding an unknown operator is compared as a whole, so only check when no entry is $eq.
      if (!entries.some((e) => e.operator === "$eq")) expect(all).toBe(evalCondition(row, condition, groups));
    }
  });

  it("returns nothing for a condition that is not an object", () => {
    expect(explainCondition(doc, null as unknown as Condition)).toEqual([]);
  });
});

describe("compiles once", () => {
  it("never reads the condition again after compiling", () => {
    let reads = 0;
    const watch = <T extends object>(target: T): T =>
      new Proxy(target, {
        get(t, key, receiver) {
          reads++;
          const value: unknown = Reflect.get(t, key, receiver);
          return value !== null && typeof value === "object" ? watch(value) : value;
        },
      });
    const condition = watch({
      $or: [{ "page.path": { $regex: "^/pricing" } }, { tags: { $elemMatch: { $in: ["a", "b"] } } }],
      "v.w": { $vgt: "1.2.0", $size: { $gt: 0 } },
    });
    const test = compileCondition(condition);
    const after = reads;
    test({ page: { path: "/pricing" }, tags: ["b"], v: { w: "1.3.0" } });
    test({ page: { path: "/" }, tags: ["c"] });
    expect(reads).toBe(after);
  });
});

describe("never throws", () => {
  const weird: unknown[] = [
    null,
    undefined,
    0,
    "x",
    [],
    [{ a: 1 }],
    () => true,
    Symbol("s"),
    10n,
    Object.create(null),
    { a: Symbol("s") },
    { a: () => 1 },
  ];
  const hostile = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("no keys");
      },
      get() {
        throw new Error("no get");
      },
    },
  );
  const conditions: unknown[] = [
    ...weird,
    hostile,
    { a: hostile },
    { a: { $in: hostile } },
    { $or: hostile },
    { a: { $eq: Symbol("s") } },
    { a: { $gt: Symbol("s") } },
    { a: { $regex: Symbol("s") } },
    { a: { $inGroup: Symbol("s") } },
    { a: Object.create(null) },
    { a: 10n },
    { a: [10n] },
  ];
  const docs: unknown[] = [
    ...weird,
    hostile,
    { a: hostile },
    {
      get a() {
        throw new Error("getter");
      },
    },
    { a: Object.create(null) },
    { a: [Symbol("s"), 10n, Object.create(null)] },
    { a: 10n },
  ];

  it("for odd conditions, documents and groups", () => {
    for (const condition of conditions) {
      for (const doc of docs) {
        for (const groups of [undefined, null, hostile, { g: hostile }]) {
          expect(() => evalCondition(doc, condition as Condition, groups as unknown as Groups)).not.toThrow();
          expect(typeof evalCondition(doc, condition as Condition, groups as unknown as Groups)).toBe("boolean");
          expect(() => explainCondition(doc, condition as Condition, groups as unknown as Groups)).not.toThrow();
        }
      }
    }
  });

  it("for conditions nested deeper than the stack", () => {
    let condition: Condition = { a: 1 };
    for (let i = 0; i < 100_000; i++) condition = { $not: condition };
    expect(evalCondition({ a: 1 }, condition)).toBe(false);
  });

  it("for the worst regex shapes the safety check accepts, on long crafted input", () => {
    // Cubic backtracking: 2,048 characters took ~4 s; cut to MAX_REGEX_INPUT (256) it is ~10-50 ms. Generous bound.
    const doc = { u: "a".repeat(10_000) };
    for (const pattern of [".*a.*b", "^.*a.*a.*b", "\\w+\\w+x"]) {
      const t0 = performance.now();
      expect(evalCondition(doc, { u: { $regex: pattern } })).toBe(false);
      expect(performance.now() - t0).toBeLessThan(1000);
    }
  });

  it("treats a non-object condition as not matching", () => {
    expect(evalCondition({}, null as unknown as Condition)).toBe(false);
    expect(evalCondition({}, "a" as unknown as Condition)).toBe(false);
  });
});
