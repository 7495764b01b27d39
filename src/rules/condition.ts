// MongoDB-style conditions with GrowthBook's operators and semantics (packages/sdk-js/src/mongrule.ts and the shared
// cases.json are the spec), compiled once into closures. Differences from GrowthBook, on purpose (DESIGN §2):
// paths and groups read own properties only, so neither `constructor` nor a polluted Object.prototype can answer;
// regexes go through the bounded, ReDoS-checked `cachedRegex` and see at most MAX_REGEX_INPUT characters; and nothing
// throws — a malformed condition or an exotic value fails closed (false) instead.
import type { Condition, ConditionExplanation, Groups } from "./types";
import { cachedRegex, MAX_REGEX_INPUT } from "./regex";

/** Tests one value (what a path resolved to). */
type Test = (value: unknown) => boolean;
/** Tests a whole document. */
type DocTest = (doc: unknown) => boolean;
type Dict = Record<string, unknown>;

// Function declarations rather than module-level constants: nothing is created at import.
function alwaysTrue(): boolean {
  return true;
}

function alwaysFalse(): boolean {
  return false;
}

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function isPlainObject(value: unknown): value is Dict {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** GrowthBook: an object is an operator object when it has keys and all of them start with `$`. */
function isOperatorObject(value: Dict): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k[0] === "$");
}

// ---- paths ------------------------------------------------------------------------------------------------------

/** One own-property step; GrowthBook's convention: anything missing on the way reads as null. */
function step(current: unknown, key: string): unknown {
  return current !== null && typeof current === "object" && has(current, key) ? (current as Dict)[key] : null;
}

/** The value at a dot-path, reading own properties only (`items.0` works, `constructor` is missing); null if missing. */
export function getPath(doc: unknown, path: string): unknown {
  if (typeof path !== "string") return null;
  let current = doc;
  try {
    for (const key of path.split(".")) current = step(current, key);
  } catch {
    return null; // a throwing getter or proxy: not JSON, read as missing
  }
  return current;
}

// ---- loose conversions that never throw (GrowthBook's `value + ""`, `value * 1`, `<`) -------------------------

/** `"" + value`, or null where that would throw (symbols, objects without a usable toString). */
function looseString(value: unknown): string | null {
  if (typeof value === "symbol") return null;
  try {
    return "" + (value as string);
  } catch {
    return null;
  }
}

/** `String(value)` as RegExp#test and String() convert, or null where that would throw. */
function toText(value: unknown): string | null {
  if (typeof value === "symbol") return null;
  try {
    return String(value);
  } catch {
    return null;
  }
}

function looseNumber(value: unknown): number {
  if (typeof value === "symbol" || typeof value === "bigint") return NaN;
  try {
    return (value as number) * 1;
  } catch {
    return NaN;
  }
}

function looseCompare(op: string, a: unknown, b: unknown): boolean {
  try {
    const x = a as number;
    const y = b as number;
    return op === "$lt" ? x < y : op === "$lte" ? x <= y : op === "$gt" ? x > y : x >= y;
  } catch {
    return false;
  }
}

function safeJson(value: unknown): string | undefined | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

function fold(value: unknown): unknown {
  return typeof value === "string" ? value.toLowerCase() : value;
}

// ---- equality against a plain value ---------------------------------------------------------------------------

function equalsString(expected: string, insensitive: boolean): Test {
  if (insensitive) {
    const lower = expected.toLowerCase();
    return (v) => (typeof v === "string" ? v : toText(v))?.toLowerCase() === lower;
  }
  return (v) => (typeof v === "string" ? v === expected : looseString(v) === expected);
}

function equalsNumber(expected: number): Test {
  return (v) => (typeof v === "number" ? v === expected : looseNumber(v) === expected);
}

/** Deep equality the way GrowthBook does it: by JSON text (so key order matters). */
function equalsJson(expected: unknown): Test {
  const json = safeJson(expected);
  if (json === null) return alwaysFalse;
  // A primitive's JSON never starts with `[` or `{`, so it cannot equal an array or object: skip stringify.
  const structured = typeof json === "string" && (json[0] === "[" || json[0] === "{");
  return (v) => (structured && (v === null || typeof v !== "object") ? false : safeJson(v) === json);
}

/** A test for one condition value: a literal to compare with, or an operator object. */
function compileValue(expected: unknown, groups: Groups, insensitive = false): Test {
  switch (typeof expected) {
    case "string":
      return equalsString(expected, insensitive);
    case "number":
      return equalsNumber(expected);
    case "boolean":
      return (v) => v !== null && !!v === expected;
    case "object":
      if (expected === null) return (v) => v === null;
      if (Array.isArray(expected) || !isOperatorObject(expected as Dict)) return equalsJson(expected);
      return compileOperators(expected as Dict, groups);
    default:
      return alwaysFalse; // undefined, functions, symbols, bigints: not JSON, not a condition
  }
}

function compileOperators(ops: Dict, groups: Groups): Test {
  const tests: Test[] = [];
  for (const op of Object.keys(ops)) {
    const test = compileOperator(op, ops[op], groups);
    if (test === alwaysFalse) return alwaysFalse;
    if (test !== alwaysTrue) tests.push(test);
  }
  return allOf(tests);
}

function allOf<T>(tests: ((x: T) => boolean)[]): (x: T) => boolean {
  const [a, b, c] = tests;
  if (!a) return alwaysTrue;
  if (!b) return a;
  if (!c) return (x) => a(x) && b(x);
  if (tests.length === 3) return (x) => a(x) && b(x) && c(x);
  return (x) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(x)) return false;
    return true;
  };
}

// ---- operators --------------------------------------------------------------------------------------------------

/** One operator applied to its argument, compiled. Unknown operators and malformed arguments are always false. */
function compileOperator(op: string, arg: unknown, groups: Groups): Test {
  switch (op) {
    case "$eq":
      return (v) => v === arg;
    case "$ne":
      return (v) => v !== arg;
    case "$lt":
    case "$lte":
    case "$gt":
    case "$gte":
      return compileComparison(op, arg);
    case "$exists":
      return arg ? (v) => v != null : (v) => v == null;
    case "$in":
    case "$nin":
    case "$ini":
    case "$nini":
      return compileIn(op, arg);
    case "$inGroup":
    case "$notInGroup":
      return compileGroup(op, arg, groups);
    case "$not": {
      const test = compileValue(arg, groups);
      return (v) => !test(v);
    }
    case "$size": {
      const test = compileValue(arg, groups);
      return (v) => Array.isArray(v) && test(v.length);
    }
    case "$elemMatch":
      return compileElemMatch(arg, groups);
    case "$all":
    case "$alli":
      return compileAll(arg, groups, op === "$alli");
    case "$regex":
    case "$regexi":
      return compileRegex(arg, op === "$regexi" ? "i" : "");
    case "$type":
      return (v) => typeName(v) === arg;
    case "$veq":
    case "$vne":
    case "$vgt":
    case "$vgte":
    case "$vlt":
    case "$vlte":
      return compileVersion(op, arg);
    default:
      return alwaysFalse;
  }
}

/** `<`-family comparisons, with a fast path when both sides have the argument's primitive type. */
function compileComparison(op: string, arg: unknown): Test {
  const type = typeof arg;
  if (type !== "number" && type !== "string") return (v) => looseCompare(op, v, arg);
  const e = arg as number; // number or string: the operators below compare both alike
  const slow = (v: unknown): boolean => looseCompare(op, v, arg);
  switch (op) {
    case "$lt":
      return (v) => (typeof v === type ? (v as number) < e : slow(v));
    case "$lte":
      return (v) => (typeof v === type ? (v as number) <= e : slow(v));
    case "$gt":
      return (v) => (typeof v === type ? (v as number) > e : slow(v));
    default:
      return (v) => (typeof v === type ? (v as number) >= e : slow(v));
  }
}

/** Membership in a Set: the same SameValueZero comparison as GrowthBook's `Array#includes`. */
function inSet(set: ReadonlySet<unknown>, v: unknown, insensitive: boolean): boolean {
  if (!Array.isArray(v)) return set.has(insensitive ? fold(v) : v);
  // An array attribute matches when any element is in the list (an intersection).
  for (let i = 0; i < v.length; i++) if (set.has(insensitive ? fold(v[i]) : v[i])) return true;
  return false;
}

function compileIn(op: string, arg: unknown): Test {
  if (!Array.isArray(arg)) return alwaysFalse;
  const insensitive = op === "$ini" || op === "$nini";
  const set = new Set<unknown>();
  for (let i = 0; i < arg.length; i++) {
    const item: unknown = insensitive ? fold(arg[i]) : arg[i];
    // The case-insensitive form compares with `===`, where NaN equals nothing.
    if (!(insensitive && Number.isNaN(item))) set.add(item);
  }
  return op === "$in" || op === "$ini" ? (v) => inSet(set, v, insensitive) : (v) => !inSet(set, v, insensitive);
}

/** An unknown group is an empty list; a group that is not a list matches nobody, for either operator. */
function compileGroup(op: string, arg: unknown, groups: Groups): Test {
  if (typeof arg !== "string" && typeof arg !== "number") return alwaysFalse;
  const key = String(arg);
  const values: unknown = isPlainObject(groups) && has(groups, key) ? groups[key] : [];
  if (!Array.isArray(values)) return alwaysFalse;
  const set = new Set<unknown>(values);
  return op === "$inGroup" ? (v) => inSet(set, v, false) : (v) => !inSet(set, v, false);
}

function compileElemMatch(arg: unknown, groups: Groups): Test {
  if (!isPlainObject(arg)) return alwaysFalse;
  // An operator object tests each element; anything else is a condition on each element as a document.
  const check = isOperatorObject(arg) ? compileValue(arg, groups) : compileDoc(arg, groups);
  if (check === alwaysFalse) return alwaysFalse;
  return (v) => {
    if (!Array.isArray(v)) return false;
    // Nullish elements are skipped (GrowthBook); 0, "" and false are tested.
    for (let i = 0; i < v.length; i++) if (v[i] != null && check(v[i])) return true;
    return false;
  };
}

function compileAll(arg: unknown, groups: Groups, insensitive: boolean): Test {
  if (!Array.isArray(arg)) return alwaysFalse;
  const tests = arg.map((item: unknown) => compileValue(item, groups, insensitive));
  return (v) => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < tests.length; i++) if (!someMatch(v, tests[i]!)) return false;
    return true;
  };
}

function someMatch(values: unknown[], test: Test): boolean {
  for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
  return false;
}

function compileRegex(pattern: unknown, flags: string): Test {
  const regex = typeof pattern === "string" ? cachedRegex(pattern, flags) : null;
  if (!regex) return alwaysFalse;
  return (v) => {
    const text = typeof v === "string" ? v : toText(v);
    if (text === null) return false;
    // The ReDoS bound: whatever backtracking the safety check lets through stays small.
    return regex.test(text.length > MAX_REGEX_INPUT ? text.slice(0, MAX_REGEX_INPUT) : text);
  };
}

/** GrowthBook's `$type` names. */
function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  const t = typeof v;
  return t === "string" || t === "number" || t === "boolean" || t === "object" || t === "undefined" ? t : "unknown";
}

// ---- versions ---------------------------------------------------------------------------------------------------

/** GrowthBook's paddedVersionString: "v1.2.3-rc.1+build" → padded parts that compare as plain strings. */
function paddedVersion(text: string): string {
  const parts = text.replace(/(^v|\+.*$)/g, "").split(/[-.]/);
  // A release sorts after its pre-releases: "~" is the largest printable ASCII character.
  if (parts.length === 3) parts.push("~");
  return parts.map((p) => (/^[0-9]+$/.test(p) ? p.padStart(5, " ") : p)).join("-");
}

/** GrowthBook reads numbers as text and anything else that is not a non-empty string as "0". */
function versionText(input: unknown): string {
  return typeof input === "number" ? input + "" : input && typeof input === "string" ? input : "0";
}

let versionCache: Map<string, string> | undefined;

/** Padded versions, shared by all conditions: an app's version is the same string every time. */
function cachedVersion(input: unknown): string {
  const text = versionText(input);
  // Only short strings are kept, and at most 256 of them: never an unbounded cache keyed by user input.
  if (text.length > 64) return paddedVersion(text);
  versionCache ??= new Map();
  let padded = versionCache.get(text);
  if (padded === undefined) {
    padded = paddedVersion(text);
    if (versionCache.size >= 256) versionCache.delete(versionCache.keys().next().value!);
    versionCache.set(text, padded);
  }
  return padded;
}

function compileVersion(op: string, arg: unknown): Test {
  const want = paddedVersion(versionText(arg));
  switch (op) {
    case "$veq":
      return (v) => cachedVersion(v) === want;
    case "$vne":
      return (v) => cachedVersion(v) !== want;
    case "$vgt":
      return (v) => cachedVersion(v) > want;
    case "$vgte":
      return (v) => cachedVersion(v) >= want;
    case "$vlt":
      return (v) => cachedVersion(v) < want;
    default:
      return (v) => cachedVersion(v) <= want;
  }
}

// ---- documents and logic ----------------------------------------------------------------------------------------

function compileList(list: unknown, groups: Groups): DocTest[] | null {
  if (!Array.isArray(list) || !list.every(isPlainObject)) return null;
  return list.map((c: Dict) => compileDoc(c, groups));
}

function anyOf(tests: DocTest[]): DocTest {
  const [a, b] = tests;
  if (!a) return alwaysFalse;
  if (!b) return a;
  if (tests.length === 2) return (d) => a(d) || b(d);
  return (d) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(d)) return true;
    return false;
  };
}

/** One top-level entry: a logical operator, or a path with the test for its value. */
function compileEntry(key: string, value: unknown, groups: Groups): DocTest {
  switch (key) {
    case "$and":
    case "$or":
    case "$nor": {
      const tests = compileList(value, groups);
      if (!tests) return alwaysFalse; // malformed: fail closed rather than guess
      if (key === "$and") return allOf(tests);
      // GrowthBook: an empty $or passes, so an empty $nor fails.
      if (key === "$or") return tests.length ? anyOf(tests) : alwaysTrue;
      const any = anyOf(tests);
      return tests.length ? (d) => !any(d) : alwaysFalse;
    }
    case "$not": {
      if (!isPlainObject(value)) return alwaysFalse;
      const test = compileDoc(value, groups);
      return (d) => !test(d);
    }
    default:
      return compilePathTest(key, value, groups);
  }
}

/** A path split once, walked by code specialised for its depth (`step` is small enough to be inlined). */
function compilePathTest(path: string, value: unknown, groups: Groups): DocTest {
  const test = compileValue(value, groups);
  if (test === alwaysFalse) return alwaysFalse;
  const keys = path.split(".");
  const [a = "", b = "", c = ""] = keys;
  switch (keys.length) {
    case 1:
      return (d) => test(step(d, a));
    case 2:
      return (d) => test(step(step(d, a), b));
    case 3:
      return (d) => test(step(step(step(d, a), b), c));
    default:
      return (d) => {
        let current = d;
        for (let i = 0; i < keys.length; i++) current = step(current, keys[i]!);
        return test(current);
      };
  }
}

function compileDoc(condition: unknown, groups: Groups): DocTest {
  if (!isPlainObject(condition)) return alwaysFalse;
  const tests: DocTest[] = [];
  for (const key of Object.keys(condition)) {
    const test = compileEntry(key, condition[key], groups);
    if (test === alwaysFalse) return alwaysFalse;
    if (test !== alwaysTrue) tests.push(test);
  }
  return allOf(tests);
}

/** Compiles a condition once into a predicate; groups are read now. Never throws, nor does the predicate. */
export function compileCondition(condition: Condition, groups?: Groups): (doc: unknown) => boolean {
  let root: DocTest;
  try {
    root = compileDoc(condition, groups ?? {});
  } catch {
    return alwaysFalse; // a hostile object (throwing getter, proxy) or nesting deeper than the stack
  }
  if (root === alwaysTrue || root === alwaysFalse) return root;
  return (doc) => {
    try {
      return root(doc);
    } catch {
      return false;
    }
  };
}

/** Whether `doc` matches `condition` (GrowthBook's `evalCondition(attributes, condition, savedGroups)`). */
export function evalCondition(doc: unknown, condition: Condition, groups?: Groups): boolean {
  return compileCondition(condition, groups)(doc);
}

// ---- explain ----------------------------------------------------------------------------------------------------

function run(test: Test, value: unknown): boolean {
  try {
    return test(value);
  } catch {
    return false;
  }
}

function explainEntry(doc: unknown, key: string, value: unknown, groups: Groups): ConditionExplanation[] {
  if (key === "$and" || key === "$or" || key === "$nor" || key === "$not") {
    return [{ path: key, operator: key, expected: value, actual: null, pass: run(compileEntry(key, value, groups), doc) }];
  }
  const actual = getPath(doc, key);
  if (!isPlainObject(value) || !isOperatorObject(value)) {
    return [{ path: key, operator: "$eq", expected: value, actual, pass: run(compileValue(value, groups), actual) }];
  }
  return Object.keys(value).map((op) => {
    const expected = value[op];
    return { path: key, operator: op, expected, actual, pass: run(compileOperator(op, expected, groups), actual) };
  });
}

/** One verdict per top-level test (per operator for a path), for `explain(segmentId)`. */
export function explainCondition(doc: unknown, condition: Condition, groups?: Groups): ConditionExplanation[] {
  try {
    if (!isPlainObject(condition)) return [];
    return Object.keys(condition).flatMap((key) => explainEntry(doc, key, condition[key], groups ?? {}));
  } catch {
    return [];
  }
}
