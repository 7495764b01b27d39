// The runtime's validator: what the script tag runs instead of zod (DESIGN §5: zod alone would cost half the byte
// budget). One walk over a table of strict checkers mirroring schema.ts checks the shape and fills in defaults, and
// calls references.ts for everything beyond shape. It fails closed — any key, type or value it does not know rejects
// the whole file — and for every file it accepts it returns exactly what `parseRules` returns. Shape issues all say
// "invalid" at their path; `segmint validate` words them for people. test/rules/compile.property.test.ts keeps the
// two in step.
import type { MetricKind, Rules } from "./types";
// `bad` is `found` without a code: a shape issue, which zod reports too.
import {
  ALLOWED_ATTRIBUTE, checkCondition, CONTEXT, found, found as bad, ID_PATTERN, ISO_DATE, isObj, join, KEY_PATTERN,
  NAME_PATTERN, PROPERTY_PATH, SEGMENTS, unsafeUrlReason, URL_ATTRIBUTE, VALUE, VARIANT_ID_PATTERN,
  type Finding, type Scope, type Walk,
} from "./references";

/** What both validators accept as options. */
export interface ParseOptions {
  /** Whether a CSS selector is usable; default: css-what syntax in `parseRules`, none in `compileRules` (all refused). */
  isValidSelector?: (selector: string) => boolean;
}

/** What `compileRules` returns. */
export type CompileResult = { ok: true; rules: Rules } | { ok: false; issues: Finding[] };

type Dict = Record<string, unknown>;
/**
 * Checks a value at a path (an entry of a record also gets its key), recording what is wrong in the walk; returns the
 * value with defaults filled in.
 */
type Check = (value: unknown, path: string, w: Walk, key?: string) => unknown;
/** A field: optional (a bare check), required (`[check]`) or defaulted (`[check, default]`). */
type Field = Check | [Check] | [Check, unknown];
/** A rule on a whole (checked) object. */
type Rule = (o: Dict, path: string, w: Walk) => void;

// ---- the checkers -------------------------------------------------------------------------------------------

/** A value that passes `test`. */
const is =
  (test: (value: unknown) => boolean): Check =>
  (v, p, w) =>
    test(v) ? v : bad(w, p);

/** A finite number in [min, max], a safe integer when `int` — zod's number checks. */
const num = (min: number, max = Infinity, int = false): Check =>
  is((v) => (int ? Number.isSafeInteger(v) : Number.isFinite(v)) && (v as number) >= min && (v as number) <= max);

const literal = (...values: unknown[]): Check => is((v) => values.includes(v));

const matching = (re: RegExp): Check => is((v) => typeof v === "string" && re.test(v));

/** A string; `problem` returns the code of a problem beyond shape in one (a selector the page refuses…). */
const str =
  (problem?: (s: string, w: Walk) => string | false | null): Check =>
  (v, p, w) => {
    if (typeof v !== "string") return bad(w, p);
    const code = problem?.(v, w);
    if (code) found(w, p, code, v);
    return v;
  };

/** `compound` for an object or a list, else `simple`: how the branches of each of zod's unions here differ. */
const either =
  (simple: Check, compound: Check): Check =>
  (v, p, w) =>
    (typeof v === "object" && v !== null ? compound : simple)(v, p, w);

/** A list of at least `min` items; with `key`, items' `key` values are unique ids, recorded in `w[into]` when given. */
const arr =
  (item: Check, min = 0, key?: string, into?: "segments" | "fields"): Check =>
  (v, p, w) => {
    if (!Array.isArray(v) || v.length < min) return bad(w, p);
    const seen = into ? w[into] : [];
    return v.map((x, i) => {
      const at = join(p, i);
      const result = item(x, at, w);
      const id = key && (result as Dict | undefined)?.[key]; // undefined when the item or its id is invalid
      if (typeof id === "string") {
        if (seen.includes(id)) found(w, join(at, key!), "duplicate", id);
        else seen.push(id);
      }
      return result;
    });
  };

/**
 * An object of `fields`: without `other`, an unknown key is an error (zod's strict object); with it, `other` checks
 * the entry under any other key, given that key (zod's record). `rule` checks the whole.
 */
const obj =
  (fields: Record<string, Field>, rule?: Rule, other?: Check): Check =>
  (v, p, w) => {
    if (!isObj(v)) return bad(w, p);
    const result: Dict = {};
    for (const k of Object.keys(v)) {
      const at = join(p, k);
      // JSON.parse makes `__proto__` an own key, which zod's records drop without a word: refuse it beyond shape.
      if (k === "__proto__") found(w, at, "not allowed", k);
      else if (!Object.keys(fields).includes(k)) result[k] = other ? other(v[k], at, w, k) : bad(w, at);
    }
    for (const [k, field] of Object.entries(fields)) {
      const [check, fallback] = [field].flat() as [Check, unknown];
      const at = join(p, k);
      // Like zod: a missing optional key stays missing, an explicit undefined stays undefined, defaults fill both.
      const value = v[k] === undefined ? fallback : v[k];
      if (value !== undefined) result[k] = check(value, at, w);
      else if (check !== field) bad(w, at); // a required field, `[check]`
      else if (k in v) result[k] = undefined;
    }
    rule?.(result, p, w);
    return result;
  };

/** An object of `item`s under names matching `key` (zod's record); `item` is given the name. */
const rec = (key: RegExp, item: Check): Check =>
  obj({}, undefined, (v, p, w, k) => (key.test(k!) ? item(v, p, w, k) : bad(w, p)));

/** A rule: one of `fields` (spread into the object) is present — at most one when `optional`. */
const oneOf =
  (fields: Dict, optional = false): Rule =>
  (o, p, w) => {
    const keys = Object.keys(fields);
    const count = keys.filter((k) => o[k] !== undefined).length;
    if (count > 1 || (count < 1 && !optional)) found(w, p, "one of", keys);
  };

/** A rule: the object has exactly one key, with a value — zod's union of one-key strict objects. */
const sole: Rule = (o, p, w) => {
  const [value, ...more] = Object.values(o);
  if (value === undefined || more.length) bad(w, p);
};

/** A value passing `test`, walked as a condition in `scope` and passed through untouched (as zod's z.custom does). */
const walked =
  (test: (value: unknown) => boolean, scope: Scope): Check =>
  (v, p, w) =>
    test(v) ? (checkCondition(v, p, w, scope), v) : bad(w, p);

const text = str();
const nonEmpty = matching(/./s);
const bool = literal(true, false);
const positive = num(Number.MIN_VALUE); // the least number above 0: zod's positive()
const nonNegative = num(0);
const whole = num(0, Infinity, true);
const wholePositive = num(1, Infinity, true);
const id = matching(ID_PATTERN);
const selector = str((s, w) => !w.isValidSelector(s) && "invalid selector");
const url = str(unsafeUrlReason);
const contextCondition = walked(isObj, CONTEXT);

// ---- the rules file -----------------------------------------------------------------------------------------------

/** A change's `attributes` entry: a string or null (removes it), under an allowed name; a URL where one is followed. */
const attribute: Check = (v, p, w, name) => {
  if (!ALLOWED_ATTRIBUTE.test(name!)) found(w, p, "not allowed", name);
  return v === null ? v : (URL_ATTRIBUTE.test(name!) ? url : text)(v, p, w);
};

function change(): Check {
  const classes = either(matching(/\S/), arr(matching(/^\S+$/), 1));
  const inserted = { text, template: selector };
  const insert = obj({ position: [literal("before", "after", "prepend", "append")], ...inserted }, oneOf(inserted));
  const content = { ...inserted, html: text, insert };
  return obj(
    {
      selector: [selector], ...content, href: url, attributes: obj({}, undefined, attribute), addClass: classes,
      removeClass: classes, hide: bool, show: bool,
    },
    oneOf(content, true),
  );
}

function experience(): Check {
  const changes = arr(change(), 1);
  // Targeting a segment is what a `segments` test on the context does: the id must be known.
  const segment = walked((v) => typeof v === "string", SEGMENTS);
  const date = matching(ISO_DATE);
  const exitIntent = obj({
    sensitivity: nonNegative, minSecondsOnPage: nonNegative, graceMs: whole,
    mobile: either(literal(false), obj({ scrollUp: bool, tabReturn: bool, idleSeconds: nonNegative })), backButton: bool,
  });
  const content = {
    changes,
    variants: arr(obj({ id: [matching(VARIANT_ID_PATTERN)], weight: positive, changes: [changes] }), 1, "id"),
    offer: obj({ template: selector, title: text, body: text, cta: obj({ text: [text], href: url }) }),
  };
  return obj(
    {
      id: [id], description: text, segment: either(segment, arr(segment, 1)), when: contextCondition, pages: contextCondition,
      enabled: bool, start: date, end: date, holdout: num(0, 1), ...content,
      trigger: either(literal("load"), obj({ exitIntent, afterSeconds: nonNegative, scrollDepth: num(0, 100) }, sole)),
      frequency: obj({ maxShows: wholePositive, perDays: positive, afterDismissDays: nonNegative, afterConversionDays: nonNegative }),
      goals: arr(obj({ click: selector, pageview: contextCondition, event: text }, sole)),
      attributionDays: [positive, 30],
    },
    oneOf(content),
  );
}

function root(): Check {
  const group = arr(is((v) => typeof v === "string" || Number.isFinite(v)));
  const path = matching(PROPERTY_PATH);
  // What each kind of metric reads: events of a type, or a "type.property" (schema.ts's METRIC_KINDS).
  const sources: Record<MetricKind, Check> = {
    count: text, sum: path, avg: path, min: path, max: path, distinct: path, first: path, last: path, daysSince: text,
  };
  const field = obj(
    {
      name: [matching(NAME_PATTERN)], type: literal("text", "email", "number", "tel", "select"), label: text,
      options: arr(nonEmpty, 1), sensitive: bool,
    },
    (f, p, w) => f.type === "select" && f.options === undefined && found(w, p, "needs options"),
  );
  return obj({
    $schema: text,
    version: [literal(1)],
    tracking: [obj({
      searchParams: [arr(nonEmpty), ["q", "s", "query", "search"]],
      sessionTimeoutMinutes: [positive, 30],
      hashRoutes: [bool, false],
      retentionDays: [wholePositive, 400],
      maxEvents: [wholePositive, 5000],
      consent: [literal("granted", "pending", "denied"), "granted"],
      prehideMs: [whole, 150],
    }), {}],
    // Groups come before every condition that may name one.
    groups: [rec(KEY_PATTERN, (v, p, w, name) => {
      w.groups.push(name!);
      return group(v, p, w);
    }), {}],
    metrics: [rec(NAME_PATTERN, obj({ ...sources, where: walked(isObj, VALUE), withinDays: wholePositive }, oneOf(sources))),
      {}],
    segments: [arr(obj({ id: [id], when: [contextCondition], stickyDays: positive, description: text }), 0, "id", "segments"), []],
    experiences: [arr(experience(), 0, "id"), []],
    profiling: [obj({
      fields: [arr(field, 0, "name", "fields"), []],
      perForm: [wholePositive, 2],
      always: [arr(str((s, w) => !w.fields.includes(s) && "unknown field")), []],
    }), {}],
    interests: [obj({
      halfLifeDays: [positive, 14],
      tags: [arr(obj({ when: [contextCondition], tags: [arr(matching(KEY_PATTERN), 1)] })), []],
    }), {}],
  });
}

let checker: Check | undefined;

// The runtime always checks selectors with the page's own parser: it is the only judge of what `querySelector`
// accepts. Without one (Node), every selector is refused — the fail-closed choice.
const noSelectors = () => false;

/**
 * Validates a rules file (parsed JSON) without zod and fills in defaults; fails closed, never throws. Issues with a
 * `code` are problems beyond shape, which `parseRules` rewords (it reports shape issues from zod).
 */
export function compileRules(json: unknown, options: ParseOptions = {}): CompileResult {
  const w: Walk = { issues: [], isValidSelector: options.isValidSelector ?? noSelectors, groups: [], segments: [], fields: [] };
  let rules;
  try {
    rules = (checker ??= root())(json, "", w) as Rules;
  } catch {
    // Only hostile input gets here (a getter or a selector check that throws).
    found(w, "", "unreadable");
  }
  return w.issues.length ? { ok: false, issues: w.issues } : { ok: true, rules: rules! };
}
