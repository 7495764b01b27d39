import { evalCondition as growthbookEval } from "@growthbook/growthbook";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCondition, evalCondition } from "../../src/rules/condition";
import { OPERATORS } from "../../src/rules/operators";
import type { Condition } from "../../src/rules/types";

// ---- a reference interpreter: walks the condition on every call, no compilation, no shortcuts --------------------
// It covers the subset the generators below produce, with GrowthBook's rules for that subset.

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => v !== null && typeof v === "object" && !Array.isArray(v);
const isOps = (v: unknown): v is Dict => isDict(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith("$"));

function refPath(doc: unknown, path: string): unknown {
  let current = doc;
  for (const key of path.split(".")) {
    if (!isDict(current) && !Array.isArray(current)) return null;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return null;
    current = (current as Dict)[key];
  }
  return current;
}

function refDoc(doc: unknown, condition: Dict): boolean {
  return Object.entries(condition).every(([key, arg]) => {
    if (key === "$and") return (arg as Dict[]).every((c) => refDoc(doc, c));
    if (key === "$or") return (arg as Dict[]).length === 0 || (arg as Dict[]).some((c) => refDoc(doc, c));
    if (key === "$not") return !refDoc(doc, arg as Dict);
    return refValue(arg, refPath(doc, key));
  });
}

function refValue(expected: unknown, v: unknown): boolean {
  if (typeof expected === "string") return String(v) === expected;
  if (typeof expected === "number") return Number(v) === expected;
  if (typeof expected === "boolean") return v !== null && Boolean(v) === expected;
  if (expected === null) return v === null;
  if (!isOps(expected)) return JSON.stringify(v) === JSON.stringify(expected);
  return Object.entries(expected).every(([op, arg]) => refOperator(op, arg, v));
}

function refOperator(op: string, arg: unknown, v: unknown): boolean {
  const list = arg as unknown[];
  const some = (test: (x: unknown) => boolean) => (Array.isArray(v) ? v.some(test) : test(v));
  switch (op) {
    case "$eq":
      return v === arg;
    case "$ne":
      return v !== arg;
    case "$gt":
      return (v as number) > (arg as number);
    case "$lt":
      return (v as number) < (arg as number);
    case "$in":
      return some((x) => list.includes(x));
    case "$nin":
      return !some((x) => list.includes(x));
    case "$exists":
      return arg ? v !== null && v !== undefined : v === null || v === undefined;
    case "$size":
      return Array.isArray(v) && refValue(arg, v.length);
    case "$not":
      return !refValue(arg, v);
    case "$elemMatch":
      return (
        Array.isArray(v) &&
        v.some((x) => x !== null && x !== undefined && (isOps(arg) ? refValue(arg, x) : refDoc(x, arg as Dict)))
      );
    case "$and":
    case "$or":
      return false; // logical operators only combine documents; on a value they are unknown operators
    default:
      throw new Error(`reference does not know ${op}`);
  }
}

// ---- generators: small key and value alphabets, so paths hit and values collide ------------------------------

const key = fc.constantFrom("a", "b", "c");
const path = fc.oneof(key, fc.tuple(key, key).map(([x, y]) => `${x}.${y}`), fc.constantFrom("a.0", "b.1.c"));
const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("x", "y", "", "1", "X"), fc.boolean(), fc.constant(null));

const { doc } = fc.letrec<{ doc: Dict; value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 3 }),
    tie("doc"),
  ),
  // JSON.parse never makes null-prototype objects (fast-check does, unless asked not to).
  doc: fc.dictionary(key, tie("value"), { maxKeys: 3, noNullPrototype: true }),
}));

const { condition } = fc.letrec<{ condition: Dict; valueCondition: unknown; ops: Dict }>((tie) => ({
  condition: fc.oneof(
    { depthSize: "small" },
    fc.dictionary(path, tie("valueCondition"), { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
    fc.record({ $and: fc.array(tie("condition"), { maxLength: 3 }) }),
    fc.record({ $or: fc.array(tie("condition"), { maxLength: 3 }) }),
    fc.record({ $not: tie("condition") }),
  ),
  valueCondition: fc.oneof({ depthSize: "small" }, scalar, fc.array(scalar, { maxLength: 2 }), tie("ops")),
  ops: fc.oneof(
    { depthSize: "small" },
    fc.record({ $eq: scalar }),
    fc.record({ $ne: scalar }),
    fc.record({ $gt: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("x", "1")) }),
    fc.record({ $lt: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("x", "1")) }),
    fc.record({ $gt: fc.integer({ min: -3, max: 3 }), $lt: fc.integer({ min: -3, max: 3 }) }),
    fc.record({ $in: fc.array(scalar, { maxLength: 3 }) }),
    fc.record({ $nin: fc.array(scalar, { maxLength: 3 }) }),
    fc.record({ $exists: fc.boolean() }),
    fc.record({ $size: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.record({ $gt: fc.integer({ min: 0, max: 2 }) })) }),
    fc.record({ $not: tie("ops") }),
    fc.record({ $elemMatch: fc.oneof(tie("ops"), tie("condition")) }),
  ),
}));

describe("compiled conditions agree with a reference interpreter", () => {
  it("on generated documents and conditions", () => {
    fc.assert(
      fc.property(condition, fc.array(doc, { minLength: 1, maxLength: 4 }), (c, docs) => {
        const test = compileCondition(c as Condition);
        for (const d of docs) {
          const expected = refDoc(d, c);
          expect(test(d)).toBe(expected);
          expect(evalCondition(d, c as Condition)).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("and with GrowthBook's own evalCondition on the same inputs", () => {
    fc.assert(
      fc.property(condition, doc, (c, d) => {
        expect(evalCondition(d, c as Condition)).toBe(growthbookEval(d, c as never, {}));
      }),
      { numRuns: 300 },
    );
  });
});

describe("evalCondition never throws", () => {
  const operator = fc.constantFrom(...OPERATORS, "$bogus", "$savedGroup");
  const operatorObject = fc.dictionary(operator, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 });
  const anyCondition = fc.oneof(
    fc.object(),
    fc.jsonValue(),
    fc.dictionary(fc.oneof(path, operator), fc.oneof(fc.jsonValue({ maxDepth: 2 }), operatorObject), { maxKeys: 3 }),
  );
  const groups = fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })), { nil: undefined });

  it("for arbitrary JSON documents, conditions and groups", () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyCondition, groups, (d, c, g) => {
        const result = evalCondition(d, c as Condition, g as never);
        expect(typeof result).toBe("boolean");
        expect(compileCondition(c as Condition, g as never)(d)).toBe(result);
      }),
      { numRuns: 500 },
    );
  });
});
