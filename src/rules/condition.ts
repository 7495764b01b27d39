// MongoDB-style conditions with GrowthBook's operators and semantics (packages/sdk-js/src/mongrule.ts and the shared
// cases.json are the spec), compiled once into closures. Differences from GrowthBook, on purpose (DESIGN §2):
// paths and groups read own properties only, so neither `constructor` nor a polluted Object.prototype can answer;
// regexes go through the bounded, ReDoS-checked `cachedRegex` and see at most MAX_REGEX_INPUT characters; and nothing
// throws — a malformed condition or an exotic value fails closed (false) instead.
import type { Condition, ConditionExplanation, Groups } from "./types";
import { LOGICAL_OPERATORS } from "./operators";
import { cachedRegex, MAX_REGEX_INPUT, remember } from "./regex";

/** Tests one value: what a path resolved to, or a whole document. */
type Test = (value: unknown) => boolean;
type Dict = Record<string, unknown>;
/** GrowthBook compares loosely with `<` and friends; the operands are whatever the document holds. */
type Compare = (a: number | string, b: number | string) => boolean;

function never(): boolean {
  return false;
}

/** `test`, but false where it throws: GrowthBook's `v + ""`, `v * 1` and `<` throw on symbols and odd objects. */
function safe(test: Test): Test {
  return (value) => {
    try {
      return test(value);
    } catch {
      return false;
    }
  };
}

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function isDict(value: unknown): value is Dict {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** GrowthBook: an object is an operator object when it has keys and all of them start with `$`. */
function isOperatorObject(value: unknown): value is Dict {
  const keys = isDict(value) ? Object.keys(value) : [];
  return keys.length > 0 && keys.every((k) => k[0] === "$");
}

/** One own-property step; GrowthBook's convention: anything missing on the way reads as null. */
function step(current: unknown, key: string): unknown {
  return current !== null && typeof current === "object" && has(current, key) ? (current as Dict)[key] : null;
}

/** The value at a dot-path, reading own properties only (`items.0` works, `constructor` is missing); null if missing. */
export function getPath(doc: unknown, path: string): unknown {
  try {
    return path.split(".").reduce(step, doc);
  } catch {
    return null; // not a string path, or a throwing getter or proxy: not JSON, read as missing
  }
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

/** GrowthBook's paddedVersionString: "v1.2.3-rc.1+build" → padded parts that compare as plain strings. */
function paddedVersion(text: string): string {
  const parts = text.replace(/(^v|\+.*$)/g, "").split(/[-.]/);
  // A release sorts after its pre-releases: "~" is the largest printable ASCII character.
  if (parts.length === 3) parts.push("~");
  return parts.map((p) => (/^[0-9]+$/.test(p) ? p.padStart(5, " ") : p)).join("-");
}

let versions: Map<string, string> | undefined;

/** A value as a padded version; GrowthBook reads numbers as text and anything else but a non-empty string as "0". */
function version(input: unknown): string {
  const text = typeof input === "number" ? input + "" : input && typeof input === "string" ? input : "0";
  // An app's version is the same string every time, so padded ones are shared (short ones only, and boundedly).
  return text.length > 64 ? paddedVersion(text) : remember((versions ??= new Map()), text, paddedVersion);
}

/** Whether `test` passes for some element of `list`. */
function some(list: unknown[], test: Test): boolean {
  for (const x of list) if (test(x)) return true;
  return false;
}

function fold(value: unknown): unknown {
  return typeof value === "string" ? value.toLowerCase() : value;
}

/**
 * `$in` and its kin: SameValueZero membership, as GrowthBook's `Array#includes`; an array value matches when any
 * element is in the list. The case-insensitive forms compare with `===`, where NaN equals nothing.
 */
function membership(list: unknown, insensitive: boolean, negate: boolean): Test {
  if (!Array.isArray(list)) return never;
  const set = new Set(insensitive ? list.map(fold).filter((x) => !Number.isNaN(x)) : list);
  const one = (v: unknown) => set.has(insensitive ? fold(v) : v);
  const any: Test = (v) => (Array.isArray(v) ? some(v, one) : one(v));
  return negate ? (v) => !any(v) : any;
}

/** GrowthBook's `$type` names. */
function typeName(v: unknown): string {
  const t = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
  return t === "function" || t === "symbol" || t === "bigint" ? "unknown" : t;
}

/** One operator applied to its argument, compiled. Unknown operators and malformed arguments are always false. */
function compileOperator(op: string, arg: unknown, groups: Groups): Test {
  switch (op) {
    case "$eq":
    case "$ne":
    case "$lt":
    case "$lte":
    case "$gt":
    case "$gte": {
      const compare = COMPARE[op.slice(1) as keyof typeof COMPARE];
      const type = typeof arg;
      // `<` converts its operands, which may throw; a fast path when both sides have the argument's primitive type.
      const slow = safe((v) => compare(v as number, arg as number));
      if (type !== "number" && type !== "string") return slow;
      return (v) => (typeof v === type ? compare(v as number, arg as number) : slow(v));
    }
    case "$veq":
    case "$vne":
    case "$vgt":
    case "$vgte":
    case "$vlt":
    case "$vlte": {
      const compare = COMPARE[op.slice(2) as keyof typeof COMPARE];
      const want = version(arg);
      return (v) => compare(version(v), want);
    }
    case "$exists":
      return arg ? (v) => v != null : (v) => v == null;
    case "$in":
    case "$nin":
    case "$ini":
    case "$nini":
      return membership(arg, op.endsWith("i"), op.startsWith("$n"));
    case "$inGroup":
    case "$notInGroup": {
      // An unknown group is an empty list; a group that is not a list matches nobody, for either operator.
      const known = (typeof arg === "string" || typeof arg === "number") && isDict(groups);
      const list = known ? (has(groups, arg + "") ? groups[arg] : []) : null;
      return membership(list, false, op === "$notInGroup");
    }
    case "$not": {
      const test = compileValue(arg, groups);
      return (v) => !test(v);
    }
    case "$size": {
      const test = compileValue(arg, groups);
      return (v) => Array.isArray(v) && test(v.length);
    }
    case "$elemMatch": {
      if (!isDict(arg)) return never;
      // An operator object tests each element; anything else is a condition on each element as a document.
      const test = isOperatorObject(arg) ? compileValue(arg, groups) : compileDoc(arg, groups);
      // Nullish elements are skipped (GrowthBook); 0, "" and false are tested.
      const element: Test = (x) => x != null && test(x);
      return (v) => Array.isArray(v) && some(v, element);
    }
    case "$all":
    case "$alli": {
      if (!Array.isArray(arg)) return never;
      const all = allOf(arg.map((item: unknown) => {
        const test = compileValue(item, groups, op === "$alli");
        return (v: unknown) => some(v as unknown[], test);
      }));
      return (v) => Array.isArray(v) && all(v);
    }
    case "$regex":
    case "$regexi": {
      const regex = cachedRegex(arg, op === "$regexi" ? "i" : "");
      // The ReDoS bound: whatever backtracking the safety check lets through stays small.
      return regex ? safe((v) => regex.test(("" + (v as string)).slice(0, MAX_REGEX_INPUT))) : never;
    }
    case "$type":
      return (v) => typeName(v) === arg;
  }
  return never;
}

/** A test for one condition value: a literal to compare with (GrowthBook's loose `==`-like rules), or operators. */
function compileValue(expected: unknown, groups: Groups, insensitive = false): Test {
  if (isOperatorObject(expected)) return allOf(Object.keys(expected).map((op) => compileOperator(op, expected[op], groups)));
  switch (typeof expected) {
    case "string":
    case "number": {
      // GrowthBook's loose `v + ""` or `v * 1`; `$alli` compares strings lower-cased.
      const lower = insensitive && typeof expected === "string";
      const want = lower ? expected.toLowerCase() : expected;
      const loose = safe((v) => (typeof want === "number" ? (v as number) * 1 : lower ? ("" + v).toLowerCase() : "" + v) === want);
      return lower ? loose : (v) => v === want || (typeof v !== typeof want && loose(v));
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
function allOf(tests: Test[]): Test {
  if (tests.length === 1) return tests[0]!;
  return (x) => {
    for (const test of tests) if (!test(x)) return false;
    return true;
  };
}

/** GrowthBook: an empty `$or` passes (so an empty `$nor` fails). */
function anyOf(tests: Test[]): Test {
  return (x) => {
    for (const test of tests) if (test(x)) return true;
    return !tests.length;
  };
}

/** One top-level entry: a logical operator, or a path with the test for its value. Malformed logic fails closed. */
function compileEntry(key: string, value: unknown, groups: Groups): Test {
  switch (key) {
    case "$and":
    case "$or":
    case "$nor": {
      if (!Array.isArray(value) || !value.every(isDict)) return never;
      const tests = value.map((c) => compileDoc(c, groups));
      if (key === "$and") return allOf(tests);
      const any = anyOf(tests);
      return key === "$or" ? any : (d) => !any(d);
    }
    case "$not": {
      if (!isDict(value)) return never;
      const test = compileDoc(value, groups);
      return (d) => !test(d);
    }
  }
  const test = compileValue(value, groups);
  const keys = key.split(".");
  const [a = "", b = "", c = ""] = keys;
  // Paths of up to three steps (nearly all) get code of their own; `step` is small enough to be inlined.
  switch (keys.length) {
    case 1:
      return (d) => test(step(d, a));
    case 2:
      return (d) => test(step(step(d, a), b));
    case 3:
      return (d) => test(step(step(step(d, a), b), c));
  }
  return (d) => test(keys.reduce(step, d));
}

function compileDoc(condition: unknown, groups: Groups): Test {
  if (!isDict(condition)) return never;
  return allOf(Object.keys(condition).map((key) => compileEntry(key, condition[key], groups)));
}

/** Compiles a condition once into a predicate; groups are read now. Never throws, nor does the predicate. */
export function compileCondition(condition: Condition, groups?: Groups): (doc: unknown) => boolean {
  try {
    const root = compileDoc(condition, groups ?? {});
    return safe(root);
  } catch {
    return never; // a hostile object (throwing getter, proxy) or nesting deeper than the stack
  }
}

/** Whether `doc` matches `condition` (GrowthBook's `evalCondition(attributes, condition, savedGroups)`). */
export function evalCondition(doc: unknown, condition: Condition, groups?: Groups): boolean {
  return compileCondition(condition, groups)(doc);
}

/** One verdict per top-level test (per operator for a path), for `explain(segmentId)`. */
export function explainCondition(doc: unknown, condition: Condition, groups?: Groups): ConditionExplanation[] {
  try {
    if (!isDict(condition)) return [];
    return Object.keys(condition).flatMap((path) => {
      const value = condition[path];
      const logical = (LOGICAL_OPERATORS as readonly string[]).includes(path);
      const actual = logical ? null : getPath(doc, path);
      // Each verdict is the condition cut down to that one test, so it passes exactly as it would in the whole.
      const verdict = (operator: string, expected: unknown, test: unknown) =>
        ({ path, operator, expected, actual, pass: evalCondition(doc, { [path]: test }, groups) });
      if (logical || !isOperatorObject(value)) return [verdict(logical ? path : "$eq", value, value)];
      return Object.keys(value).map((op) => verdict(op, value[op], { [op]: value[op] }));
    });
  } catch {
    return [];
  }
}
