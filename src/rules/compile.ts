// The runtime's validator: what the script tag runs instead of zod (DESIGN §5: zod alone would cost half the byte
// budget). One walk over a table of strict checkers mirroring schema.ts checks the shape and fills in defaults, and
// calls references.ts for everything beyond shape. It fails closed — any key, type or value it does not know rejects
// the whole file — and for every file it accepts it returns exactly what `parseRules` returns. Messages are terse;
// `segmint validate` words them for people. test/rules/compile.property.test.ts keeps the two in step.
import type { Rules } from "./types";
import {
  checkAttributes, checkCondition, found, ID_PATTERN, isIsoDate, isObj, issue, join, KEY_PATTERN, METRIC_KINDS,
  NAME_PATTERN, PROPERTY_PATH, unsafeUrlReason, VARIANT_ID_PATTERN, type Finding, type Walk,
} from "./references";

/** What both validators accept as options. */
export interface ParseOptions {
  /** Whether a CSS selector is usable; default: css-what syntax in `parseRules`, none in `compileRules` (all refused). */
  isValidSelector?: (selector: string) => boolean;
}

/** What `compileRules` returns. */
export type CompileResult = { ok: true; rules: Rules } | { ok: false; issues: Finding[] };

type Dict = Record<string, unknown>;
/** Checks a value at a path, recording what is wrong in the walk; returns the value with defaults filled in. */
type Check = (value: unknown, path: string, w: Walk) => unknown;
/** A field: optional (a bare check), required (`[check]`) or defaulted (`[check, default]`). */
type Field = Check | [Check] | [Check, unknown];
/** A rule on a whole (checked) object. */
type Rule = (o: Dict, path: string, w: Walk) => void;

/** Records a shape issue; returns undefined, what an invalid value becomes. */
function bad(w: Walk, path: string, message = "invalid"): undefined {
  w.issues.push(issue(path, message));
  return undefined;
}

// ---- the checkers -------------------------------------------------------------------------------------------

/**
 * A string; `check` returns false for a malformed one (a shape issue), or the code of a problem beyond shape (a
 * finding about an otherwise valid string: a selector the page refuses, an unknown segment…).
 */
const str =
  (check: (s: string, w: Walk) => boolean | string = () => true): Check =>
  (v, p, w) => {
    const result = typeof v === "string" && check(v, w);
    if (typeof result === "string") found(w, p, result, v);
    return result === false ? bad(w, p) : v;
  };

const matching = (re: RegExp) => str((s) => re.test(s));

/** A finite number in [min, max], a safe integer when `int` — zod's number checks. */
const num =
  (min: number, max = Infinity, int = false): Check =>
  (v, p, w) =>
    (int ? Number.isSafeInteger(v) : Number.isFinite(v)) && (v as number) >= min && (v as number) <= max ? v : bad(w, p);

const literal =
  (...values: unknown[]): Check =>
  (v, p, w) =>
    values.includes(v) ? v : bad(w, p);

/** A list of at least `min` items; with `key`, items' `key` values are unique ids, recorded in `w[into]` when given. */
const arr =
  (item: Check, min = 0, key?: string, into?: "segments" | "fields"): Check =>
  (v, p, w) => {
    if (!Array.isArray(v)) return bad(w, p);
    if (v.length < min) bad(w, p);
    const seen = into ? w[into] : [];
    return v.map((x, i) => {
      const result = item(x, join(p, i), w);
      const id = key && isObj(x) ? x[key] : undefined;
      if (typeof id === "string") {
        if (seen.includes(id)) found(w, join(join(p, i), key!), "duplicate", id);
        else seen.push(id);
      }
      return result;
    });
  };

/** An object of `item`s keyed by names matching `key`. */
const rec =
  (key: RegExp, item: Check): Check =>
  (v, p, w) => {
    if (!isObj(v)) return bad(w, p);
    const result: Dict = {};
    for (const k of Object.keys(v)) {
      // zod's records drop a `__proto__` key (JSON.parse makes it an own key) without a word: refuse it beyond shape.
      if (k === "__proto__") found(w, join(p, k), "not allowed", k);
      else if (!key.test(k)) bad(w, join(p, k));
      result[k] = item(v[k], join(p, k), w);
    }
    return result;
  };

/** A strict object: unknown keys are errors; `rule` checks the whole. */
const obj = (fields: Record<string, Field>, rule?: Rule): Check => {
  const keys = Object.keys(fields);
  return (v, p, w) => {
    if (!isObj(v)) return bad(w, p);
    const result: Dict = {};
    for (const k of Object.keys(v)) if (!keys.includes(k)) bad(w, p, `unknown key "${k}"`);
    for (const k of keys) {
      const field = fields[k]!;
      const [check, fallback] = [field].flat() as [Check, unknown];
      // Like zod: a missing optional key stays missing, an explicit undefined stays undefined, defaults fill both.
      const value = v[k] === undefined ? fallback : v[k];
      if (value !== undefined) result[k] = check(value, join(p, k), w);
      else if (Array.isArray(field)) bad(w, join(p, k), "required");
      else if (k in v) result[k] = undefined;
    }
    rule?.(result, p, w);
    return result;
  };
};

/** The first alternative whose shape fits, as zod's union returns it (with what that alternative found). */
const alt =
  (...checks: Check[]): Check =>
  (v, p, w) => {
    for (const check of checks) {
      const scratch: Walk = { ...w, issues: [] };
      const result = check(v, p, scratch);
      if (scratch.issues.every((i) => i.code)) return w.issues.push(...scratch.issues), result;
    }
    return bad(w, p);
  };

/** A rule: one of `keys` is present — at most one when `optional`. */
const oneOf =
  (keys: readonly string[], optional = false): Rule =>
  (o, p, w) => {
    const count = keys.filter((k) => o[k] !== undefined).length;
    if (count > 1 || (count < 1 && !optional)) found(w, p, "one of", keys);
  };

/** A condition, passed through untouched (as zod's z.custom does); `refs`: on the context, so it may name segments. */
const condition =
  (refs: boolean): Check =>
  (v, p, w) =>
    isObj(v) ? (checkCondition(v, p, w, refs), v) : bad(w, p);

const text = str();
const nonEmpty = str((s) => s !== "");
const bool = literal(true, false);
const positive = num(Number.MIN_VALUE); // the least number above 0: zod's positive()
const nonNegative = num(0);
const whole = num(0, Infinity, true);
const wholePositive = num(1, Infinity, true);
const id = matching(ID_PATTERN);
const selector = str((s, w) => w.isValidSelector(s) === true || "invalid selector");
const url = str((s) => unsafeUrlReason(s) ?? true);
const contextCondition = condition(true);

// ---- the rules file -----------------------------------------------------------------------------------------------

function change(): Check {
  const classes = alt(matching(/\S/), arr(matching(/^\S+$/), 1));
  const attributes: Check = (v, p, w) => {
    const result = rec(/^/, alt(text, literal(null)))(v, p, w);
    if (isObj(result)) checkAttributes(result, p, w);
    return result;
  };
  const insert = obj(
    { position: [literal("before", "after", "prepend", "append")], text, template: selector },
    oneOf(["text", "template"]),
  );
  return obj(
    {
      selector: [selector], text, template: selector, html: text, insert, href: url, attributes,
      addClass: classes, removeClass: classes, hide: bool, show: bool,
    },
    oneOf(["text", "template", "html", "insert"], true),
  );
}

function experience(): Check {
  const changes = arr(change(), 1);
  const segment = str((s, w) => w.segments.includes(s) || "unknown segment");
  const date = str(isIsoDate);
  const exitIntent = obj({
    sensitivity: nonNegative, minSecondsOnPage: nonNegative, graceMs: whole,
    mobile: alt(literal(false), obj({ scrollUp: bool, tabReturn: bool, idleSeconds: nonNegative })), backButton: bool,
  });
  return obj(
    {
      id: [id], description: text, segment: alt(segment, arr(segment, 1)), when: contextCondition, pages: contextCondition,
      enabled: bool, start: date, end: date, holdout: num(0, 1), changes,
      variants: arr(obj({ id: [matching(VARIANT_ID_PATTERN)], weight: positive, changes: [changes] }), 1, "id"),
      offer: obj({ template: selector, title: text, body: text, cta: obj({ text: [text], href: url }) }),
      trigger: alt(
        literal("load"), obj({ exitIntent: [exitIntent] }), obj({ afterSeconds: [nonNegative] }), obj({ scrollDepth: [num(0, 100)] }),
      ),
      frequency: obj({ maxShows: wholePositive, perDays: positive, afterDismissDays: nonNegative, afterConversionDays: nonNegative }),
      goals: arr(alt(obj({ click: [selector] }), obj({ pageview: [contextCondition] }), obj({ event: [text] }))),
      attributionDays: [positive, 30],
    },
    oneOf(["changes", "variants", "offer"]),
  );
}

function root(): Check {
  const metric: Record<string, Field> = { where: condition(false), withinDays: wholePositive };
  for (const kind of METRIC_KINDS) metric[kind] = kind === "count" || kind === "daysSince" ? text : matching(PROPERTY_PATH);
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
    groups: [rec(KEY_PATTERN, arr(alt(text, num(-Infinity)))), {}],
    metrics: [rec(NAME_PATTERN, obj(metric, oneOf(METRIC_KINDS))), {}],
    segments: [arr(obj({ id: [id], when: [contextCondition], stickyDays: positive, description: text }), 0, "id", "segments"), []],
    experiences: [arr(experience(), 0, "id"), []],
    profiling: [obj({
      fields: [arr(field, 0, "name", "fields"), []],
      perForm: [wholePositive, 2],
      always: [arr(str((s, w) => w.fields.includes(s) || "unknown field")), []],
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
  try {
    if (isObj(json) && isObj(json.groups)) w.groups = Object.keys(json.groups);
    const rules = (checker ??= root())(json, "", w);
    if (!w.issues.length) return { ok: true, rules: rules as Rules };
  } catch {
    // Only hostile input gets here (a getter or a selector check that throws).
    found(w, "", "unreadable");
  }
  return { ok: false, issues: w.issues };
}
