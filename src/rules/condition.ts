// MongoDB-style conditions with GrowthBook's operators and semantics (packages/sdk-js/src/mongrule.ts and the shared
// cases.json are the spec), compiled once into closures. Differences from GrowthBook, on purpose (DESIGN §2):
// paths and groups read own properties only, so neither `constructor` nor a polluted Object.prototype can answer;
// regexes go through the bounded, ReDoS-checked `cachedRegex` and see at most MAX_REGEX_INPUT characters; and nothing
// throws — a malformed condition or an exotic value fails closed (false) instead.
import type { Condition, ConditionExplanation, Groups } from "./types";
import { cachedRegex, MAX_REGEX_INPUT } from "./regex";

/** Tests one value: what a path resolved to, or a whole document. */
type Test = (value: unknown) => boolean;
type Dict = Record<string, unknown>;
/** GrowthBook compares loosely with `<` and friends; the operands are whatever the document holds. */
type Compare = (a: number | string, b: number | string) => boolean;
/** Compiles one operator from its argument; `op` is its own name, for compilers that serve several. */
type OperatorCompiler = (arg: unknown, groups: Groups, op: string) => Test;

/** The test that always fails: an unknown operator, a malformed argument. */
const never = (): boolean => false;

/**
 * `run(arg)`, or `fallback` where it throws. The one guard of every export: a condition, a document or a group may be
 * a throwing getter, a proxy or nested deeper than the stack, and none of that may reach the host page.
 */
const attempt = <A, R>(run: (arg: A) => R, arg: A, fallback: R): R => {
  try {
    return run(arg);
  } catch {
    return fallback;
  }
};

/** `test`, but false where it throws: GrowthBook's `v + ""`, `v * 1` and `<` throw on symbols and odd objects. */
const safe = (test: Test): Test => (value) => attempt(test, value, false);

const has = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** An object or an array: what a path can step into. */
const isObject = (value: unknown): value is object => value !== null && typeof value === "object";

const isDict = (value: unknown): value is Dict => isObject(value) && !Array.isArray(value);

/** GrowthBook: an object is an operator object when it has keys and all of them start with `$`. */
const isOperatorObject = (value: unknown): value is Dict => {
  const keys = isDict(value) ? Object.keys(value) : [];
  return keys.length > 0 && keys.every((k) => k[0] === "$");
};

/** One own-property step; GrowthBook's convention: anything missing on the way reads as null. */
const step = (current: unknown, key: string): unknown =>
  isObject(current) && has(current, key) ? (current as Dict)[key] : null;

/** The value at a dot-path, reading own properties only (`items.0` works, `constructor` is missing); null if missing. */
export function getPath(doc: unknown, path: string): unknown {
  // Not a string path, or a throwing getter or proxy: not JSON, read as missing.
  return attempt((dotted) => dotted.split(".").reduce(step, doc), path, null);
}

// ---- operators --------------------------------------------------------------------------------------------------

/** The comparisons of `$eq`, `$lt`… and (on padded version strings) `$veq`…, by name without the `$`/`$v`. */
const COMPARE = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
} satisfies Record<string, Compare>;

/**
 * A value as GrowthBook's paddedVersionString: "v1.2.3-rc.1+build" → padded parts that compare as plain strings.
 * Numbers are read as text, anything else but a non-empty string as "0".
 */
const version = (input: unknown): string => {
  const text = typeof input === "number" || (input && typeof input === "string") ? input + "" : "0";
  const parts = text.replace(/^v|\+.*$/g, "").split(/[-.]/);
  // A release sorts after its pre-releases: "~" is the largest printable ASCII character.
  if (parts.length === 3) parts.push("~");
  return parts.map((p) => (/^\d+$/.test(p) ? p.padStart(5) : p)).join("-");
};

/** `$eq`, `$lt`… as they are (`<` converts its operands, which may throw); `$veq`, `$vlt`… on padded versions. */
const comparison: OperatorCompiler = (arg, _groups, op) => {
  const compare = COMPARE[op.replace(/^\$v?/, "") as keyof typeof COMPARE];
  if (op[1] !== "v") return safe((v) => compare(v as number, arg as number));
  const want = version(arg);
  return (v) => compare(version(v), want);
};

/** Whether `test` passes for some element of `list`. */
const some = (list: unknown[], test: Test): boolean => {
  for (const x of list) if (test(x)) return true;
  return false;
};

const fold = (value: unknown): unknown => (typeof value === "string" ? value.toLowerCase() : value);

/**
 * `$in` and its kin: SameValueZero membership, as GrowthBook's `Array#includes`; an array value matches when any
 * element is in the list. The case-insensitive forms (`…i`) compare with `===`, where NaN equals nothing.
 */
const membership: OperatorCompiler = (list, _groups, op) => {
  if (!Array.isArray(list)) return never;
  const insensitive = op.endsWith("i");
  const set = new Set(insensitive ? list.map(fold).filter((x) => !Number.isNaN(x)) : list);
  const one = (v: unknown) => set.has(insensitive ? fold(v) : v);
  const any: Test = (v) => (Array.isArray(v) ? some(v, one) : one(v));
  return op[1] === "n" ? (v) => !any(v) : any;
};

/** An unknown group is an empty list; a group that is not a list matches nobody, for either operator. */
const inGroup: OperatorCompiler = (arg, groups, op) => {
  const known = (typeof arg === "string" || typeof arg === "number") && isDict(groups);
  return membership(known ? (has(groups, arg + "") ? groups[arg] : []) : null, groups, op);
};

/** `$all` (`$alli`: strings compared lower-cased): every item of the argument matches some element. */
const all: OperatorCompiler = (arg, groups, op) => {
  if (!Array.isArray(arg)) return never;
  const every = allOf(arg.map((item: unknown) => {
    const test = compileValue(item, groups, op === "$alli");
    return (v: unknown) => some(v as unknown[], test);
  }));
  return (v) => Array.isArray(v) && every(v);
};

/** `$regex` (`$regexi`: case-insensitive) on the value as text. */
const regex: OperatorCompiler = (arg, _groups, op) => {
  const compiled = cachedRegex(arg, op === "$regexi" ? "i" : "");
  // The ReDoS bound: whatever backtracking the safety check lets through stays small.
  return compiled ? safe((v) => compiled.test(("" + (v as string)).slice(0, MAX_REGEX_INPUT))) : never;
};

/**
 * The operators that test one value, by name (in OPERATORS' order): the compiler and validation's list of names are
 * this one table, so they cannot disagree. Unknown operators are always false.
 */
const VALUE_TESTS: Record<string, OperatorCompiler> = {
  $eq: comparison,
  $ne: comparison,
  $lt: comparison,
  $lte: comparison,
  $gt: comparison,
  $gte: comparison,
  $in: membership,
  $nin: membership,
  $ini: membership,
  $nini: membership,
  $all: all,
  $alli: all,
  $elemMatch: (arg, groups) => {
    if (!isDict(arg)) return never;
    // An operator object tests each element; anything else is a condition on each element as a document.
    const test = isOperatorObject(arg) ? compileValue(arg, groups) : compileDoc(arg, groups);
    // Nullish elements are skipped (GrowthBook); 0, "" and false are tested.
    const element: Test = (x) => x != null && test(x);
    return (v) => Array.isArray(v) && some(v, element);
  },
  $size: (arg, groups) => {
    const test = compileValue(arg, groups);
    return (v) => Array.isArray(v) && test(v.length);
  },
  $exists: (arg) => (arg ? (v) => v != null : (v) => v == null),
  // GrowthBook's type names: `null` and `array` apart, functions, symbols and bigints "unknown".
  $type: (arg) => (v) => {
    const type = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
    return (type === "function" || type === "symbol" || type === "bigint" ? "unknown" : type) === arg;
  },
  $regex: regex,
  $regexi: regex,
  $not: (arg, groups) => {
    const test = compileValue(arg, groups);
    return (v) => !test(v);
  },
  $veq: comparison,
  $vne: comparison,
  $vgt: comparison,
  $vgte: comparison,
  $vlt: comparison,
  $vlte: comparison,
  $inGroup: inGroup,
  $notInGroup: inGroup,
};

/** The names of the operators that test one value. */
export const VALUE_OPERATORS: readonly string[] = /* @__PURE__ */ Object.keys(VALUE_TESTS);

/** A test for one condition value: a literal to compare with (GrowthBook's loose `==`-like rules), or operators. */
function compileValue(expected: unknown, groups: Groups, insensitive = false): Test {
  if (isOperatorObject(expected)) {
    return allOf(
      Object.keys(expected).map((op) => (has(VALUE_TESTS, op) ? VALUE_TESTS[op]!(expected[op], groups, op) : never)),
    );
  }
  switch (typeof expected) {
    case "string":
    case "number": {
      // GrowthBook's loose `v + ""` or `v * 1`; `$alli` compares strings lower-cased.
      const lower = insensitive && typeof expected === "string";
      const want = lower ? fold(expected) : expected;
      return safe((v) => (typeof want === "number" ? (v as number) * 1 : lower ? fold("" + v) : "" + v) === want);
    }
    case "boolean":
      return (v) => v !== null && !!v === expected;
    case "object": {
      if (expected === null) return (v) => v === null;
      // Deep equality the way GrowthBook does it: by JSON text (so key order matters).
      const json = JSON.stringify(expected);
      return safe((v) => JSON.stringify(v) === json);
    }
  }
  return never; // undefined, functions, symbols, bigints: not JSON, not a condition
}

// ---- documents and logic ----------------------------------------------------------------------------------------

/** Every test passes (for none, true). Plain loops here and below: they run on every evaluation. */
const allOf = (tests: Test[]): Test => {
  if (tests.length === 1) return tests[0]!;
  return (x) => {
    for (const test of tests) if (!test(x)) return false;
    return true;
  };
};

/** GrowthBook: an empty `$or` passes (so an empty `$nor` fails). */
const anyOf = (tests: Test[]): Test => (x) => {
  for (const test of tests) if (test(x)) return true;
  return !tests.length;
};

/** No test passes (for none, false). */
const noneOf = (tests: Test[]): Test => {
  const any = anyOf(tests);
  return (x) => !any(x);
};

/** The logical operators, by name: how each combines its conditions' tests (`{ $not: c }` is `{ $nor: [c] }`). */
const LOGIC: Record<string, (tests: Test[]) => Test> = { $and: allOf, $or: anyOf, $nor: noneOf, $not: noneOf };

/** The logical operators' names. */
export const LOGICAL_OPERATORS: readonly string[] = /* @__PURE__ */ Object.keys(LOGIC);

/** Every operator name, for validation (`$not` is in both lists). */
export const OPERATORS: readonly string[] = [
  .../* @__PURE__ */ Object.keys(LOGIC),
  .../* @__PURE__ */ Object.keys(VALUE_TESTS),
];

/** One top-level entry: a logical operator over its conditions (malformed, it fails closed), or a path's test. */
function compileEntry(key: string, value: unknown, groups: Groups): Test {
  if (has(LOGIC, key)) {
    const conditions = key === "$not" ? [value] : value;
    if (!Array.isArray(conditions) || !conditions.every(isDict)) return never;
    return LOGIC[key]!(conditions.map((c) => compileDoc(c, groups)));
  }
  const test = compileValue(value, groups);
  const keys = key.split(".");
  return (d) => test(keys.reduce(step, d));
}

function compileDoc(condition: unknown, groups: Groups): Test {
  if (!isDict(condition)) return never;
  return allOf(Object.keys(condition).map((key) => compileEntry(key, condition[key], groups)));
}

/** Compiles a condition once into a predicate; groups are read now. Never throws, nor does the predicate. */
export function compileCondition(condition: Condition, groups?: Groups): (doc: unknown) => boolean {
  return safe(attempt((c) => compileDoc(c, groups ?? {}), condition, never));
}

/** Whether `doc` matches `condition` (GrowthBook's `evalCondition(attributes, condition, savedGroups)`). */
export function evalCondition(doc: unknown, condition: Condition, groups?: Groups): boolean {
  return compileCondition(condition, groups)(doc);
}

/** One verdict per top-level test (per operator for a path), for `explain(segmentId)`. */
export function explainCondition(doc: unknown, condition: Condition, groups?: Groups): ConditionExplanation[] {
  const explain = (condition: Dict) =>
    Object.keys(condition).flatMap((path) => {
      const value = condition[path];
      const logical = has(LOGIC, path);
      const actual = logical ? null : getPath(doc, path);
      // Each verdict is the condition cut down to that one test, so it passes exactly as it would in the whole.
      const verdict = (operator: string, expected: unknown, test: unknown) =>
        ({ path, operator, expected, actual, pass: evalCondition(doc, { [path]: test }, groups) });
      if (logical || !isOperatorObject(value)) return [verdict(logical ? path : "$eq", value, value)];
      return Object.keys(value).map((op) => verdict(op, value[op], { [op]: value[op] }));
    });
  return attempt(explain, isDict(condition) ? condition : {}, []);
}
