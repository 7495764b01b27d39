// The runtime's validator: what the script tag runs instead of zod (DESIGN §5: zod alone would cost half the byte
// budget). A small table of strict checkers mirroring schema.ts. It fails closed — any key, type or value it does not
// know rejects the whole file — and for every file it accepts it returns exactly what `parseRules` returns. Messages
// are terse; `segmint validate` words them for people. test/rules/compile.property.test.ts keeps the two in step.
import type { Rules, RulesIssue } from "./types";
import {
  attributeProblem, changeProblem, crossReferenceIssues, experienceProblem, ID_PATTERN, insertProblem, isIsoDate,
  issue, joinIndex, joinKey, KEY_PATTERN, METRIC_KINDS, metricProblem, NAME_PATTERN, offerProblem, unsafeUrlReason,
  type ParseOptions,
} from "./references";

/** What `compileRules` returns. */
export type CompileResult = { ok: true; rules: Rules } | { ok: false; issues: RulesIssue[] };

type Dict = Record<string, unknown>;
type Issues = RulesIssue[];
/** Checks a value at a path, pushing issues; returns the value with defaults filled in. */
type Check = (value: unknown, path: string, out: Issues) => unknown;
/** A field: optional (a bare check), required (`[check, 1]`) or defaulted (`[check, () => default]`). */
type Field = Check | [Check, 1 | (() => unknown)];

const isObj = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

function bad(out: Issues, path: string, message: string): undefined {
  out.push(issue(path, message));
  return undefined;
}

/** A string; `problem` words what else is wrong with it (null: nothing). */
const str =
  (problem?: (s: string) => string | null | false): Check =>
  (v, p, out) => {
    if (typeof v !== "string") return bad(out, p, "expected a string");
    const message = problem?.(v);
    return message ? bad(out, p, message) : v;
  };

const matching = (re: RegExp) => str((s) => !re.test(s) && "invalid");

/** A finite number ≥ min (> min when `above`), ≤ max, a safe integer when `int` — zod's number checks. */
const num =
  (min: number, above = false, max = Infinity, int = false): Check =>
  (v, p, out) =>
    typeof v !== "number" || !Number.isFinite(v) || (int && !Number.isSafeInteger(v)) || v < min || (above && v === min) || v > max
      ? bad(out, p, "invalid number")
      : v;

const oneOf =
  (...values: unknown[]): Check =>
  (v, p, out) =>
    values.includes(v) ? v : bad(out, p, "invalid value");

const bool = oneOf(true, false);

const arr =
  (item: Check, min = 0): Check =>
  (v, p, out) => {
    if (!Array.isArray(v)) return bad(out, p, "expected a list");
    if (v.length < min) bad(out, p, "too few items");
    return v.map((x, i) => item(x, joinIndex(p, i), out));
  };

/** An object of `item`s keyed by names matching `key`. */
const rec =
  (key: RegExp, item: Check): Check =>
  (v, p, out) => {
    if (!isObj(v)) return bad(out, p, "expected an object");
    const result: Dict = {};
    for (const k of Object.keys(v)) {
      if (!key.test(k)) bad(out, joinKey(p, k), "invalid name");
      result[k] = item(v[k], joinKey(p, k), out);
    }
    return result;
  };

/** A strict object: unknown keys are errors; `problem` is the whole-object rule schema.ts refines with. */
const obj =
  (fields: Record<string, Field>, problem?: (o: Dict) => string | null): Check =>
  (v, p, out) => {
    if (!isObj(v)) return bad(out, p, "expected an object");
    const result: Dict = {};
    for (const k of Object.keys(v)) if (!Object.prototype.hasOwnProperty.call(fields, k)) bad(out, p, `unknown key "${k}"`);
    for (const k of Object.keys(fields)) {
      const [check, mode] = typeof fields[k] === "function" ? [fields[k] as Check] : (fields[k] as [Check, 1 | (() => unknown)]);
      let value = v[k];
      // Like zod: a missing optional key stays missing, an explicit undefined stays undefined, defaults fill both.
      if (value === undefined && typeof mode === "function") value = mode();
      if (value === undefined) {
        if (mode === 1) bad(out, joinKey(p, k), "required");
        else if (k in v) result[k] = undefined;
      } else result[k] = check(value, joinKey(p, k), out);
    }
    const message = problem?.(result);
    return message ? bad(out, p, message) : result;
  };

/** The first alternative that passes, as zod's union returns it. */
const alt =
  (...checks: Check[]): Check =>
  (v, p, out) => {
    for (const check of checks) {
      const scratch: Issues = [];
      const result = check(v, p, scratch);
      if (!scratch.length) return result;
    }
    return bad(out, p, "invalid value");
  };

// Conditions are passed through untouched (as zod's z.custom does); references.ts checks what is inside.
const condition: Check = (v, p, out) => (isObj(v) ? v : bad(out, p, "expected a condition"));
const text = str();
const url = str(unsafeUrlReason);
const id = matching(ID_PATTERN);
const positive = num(0, true);
const nonNegative = num(0);
const wholePositive = num(1, false, Infinity, true);
const R = (check: Check): Field => [check, 1];
const D = (check: Check, fallback: () => unknown): Field => [check, fallback];

function attributes(): Check {
  const values = rec(/(?:)/, alt(text, oneOf(null)));
  return (v, p, out) => {
    const result = values(v, p, out);
    if (!isObj(result)) return result;
    if (!Object.keys(result).length) bad(out, p, "no attributes");
    for (const k of Object.keys(result)) {
      const message = attributeProblem(k, result[k]);
      if (message) bad(out, joinKey(p, k), message);
    }
    return result;
  };
}

function change(): Check {
  const classes = alt(matching(/\S/), arr(matching(/^\S+$/), 1));
  const insert = obj(
    { position: R(oneOf("before", "after", "prepend", "append")), text, template: text },
    insertProblem,
  );
  return obj(
    {
      selector: R(text), text, template: text, html: text, insert, href: url, attributes: attributes(),
      addClass: classes, removeClass: classes, hide: bool, show: bool,
    },
    changeProblem,
  );
}

function trigger(): Check {
  const mobile = obj({ scrollUp: bool, tabReturn: bool, idleSeconds: nonNegative });
  const exitIntent = obj({
    sensitivity: nonNegative, minSecondsOnPage: nonNegative, graceMs: num(0, false, Infinity, true),
    mobile: alt(oneOf(false), mobile), backButton: bool,
  });
  return alt(
    oneOf("load"),
    obj({ exitIntent: R(exitIntent) }),
    obj({ afterSeconds: R(nonNegative) }),
    obj({ scrollDepth: R(num(0, false, 100)) }),
  );
}

function experience(): Check {
  const changes = arr(change(), 1);
  const cta = obj({ text: R(text), href: url });
  const date = str((s) => !isIsoDate(s) && "invalid date");
  return obj(
    {
      id: R(id), description: text, segment: alt(text, arr(text, 1)), when: condition, pages: condition,
      enabled: bool, start: date, end: date, holdout: num(0, false, 1), changes,
      variants: arr(obj({ id: R(id), weight: positive, changes: R(changes) }), 1),
      offer: obj({ template: text, title: text, body: text, cta }, offerProblem),
      trigger: trigger(),
      frequency: obj({ maxShows: wholePositive, perDays: positive, afterDismissDays: nonNegative, afterConversionDays: nonNegative }),
      goals: arr(alt(obj({ click: R(text) }), obj({ pageview: R(condition) }), obj({ event: R(text) }))),
      attributionDays: D(positive, () => 30),
    },
    experienceProblem,
  );
}

function root(): Check {
  const metric: Record<string, Field> = { where: condition, withinDays: wholePositive };
  for (const kind of METRIC_KINDS) metric[kind] = text;
  const field = obj({
    name: R(matching(NAME_PATTERN)), type: oneOf("text", "email", "number", "tel", "select"), label: text,
    options: arr(str((s) => !s && "empty"), 1), sensitive: bool,
  });
  return obj({
    $schema: text,
    version: R(oneOf(1)),
    tracking: D(obj({
      searchParams: D(arr(str((s) => !s && "empty")), () => ["q", "s", "query", "search"]),
      sessionTimeoutMinutes: D(positive, () => 30),
      hashRoutes: D(bool, () => false),
      retentionDays: D(wholePositive, () => 400),
      maxEvents: D(wholePositive, () => 5000),
      consent: D(oneOf("granted", "pending", "denied"), () => "granted"),
      prehideMs: D(num(0, false, Infinity, true), () => 150),
    }), () => ({})),
    groups: D(rec(KEY_PATTERN, arr(alt(text, num(-Infinity)))), () => ({})),
    metrics: D(rec(NAME_PATTERN, obj(metric, metricProblem)), () => ({})),
    segments: D(arr(obj({ id: R(id), when: R(condition), stickyDays: positive, description: text })), () => []),
    experiences: D(arr(experience()), () => []),
    profiling: D(obj({
      fields: D(arr(field), () => []), perForm: D(wholePositive, () => 2), always: D(arr(text), () => []),
    }), () => ({})),
    interests: D(obj({
      halfLifeDays: D(positive, () => 14),
      tags: D(arr(obj({ when: R(condition), tags: R(arr(matching(KEY_PATTERN), 1)) })), () => []),
    }), () => ({})),
  });
}

let checker: Check | undefined;

// A conservative selector grammar for when no DOM check is given (Node): type, #id, .class and [attribute]
// selectors with combinators — a subset of what css-what and browsers accept, so this default also fails closed.
let simple: RegExp | undefined;
function simpleSelector(selector: string): boolean {
  if (!simple) {
    const ident = "-?[_a-zA-Z][\\w-]*";
    const part = `(?:[#.]${ident}|\\[${ident}(?:[~|^$*]?=(?:"[^"\\\\]*"|'[^'\\\\]*'|${ident}))?\\])`;
    const compound = `(?:(?:${ident}|\\*)${part}*|${part}+)`;
    const complex = `${compound}(?:\\s*[>+~]\\s*${compound}|\\s+${compound})*`;
    simple = new RegExp(`^\\s*${complex}(?:\\s*,\\s*${complex})*\\s*$`);
  }
  return selector.length <= 500 && simple.test(selector);
}

/** Validates a rules file without zod and fills in defaults; fails closed, never throws. */
export function compileRules(json: unknown, options: ParseOptions = {}): CompileResult {
  const out: Issues = [];
  try {
    if (typeof json === "string") json = JSON.parse(json);
    const rules = (checker ??= root())(json, "", out);
    out.push(...crossReferenceIssues(json, { isValidSelector: options.isValidSelector ?? simpleSelector }));
    return out.length ? { ok: false, issues: out } : { ok: true, rules: rules as Rules };
  } catch {
    return { ok: false, issues: [issue("", "not valid JSON, or not readable")] };
  }
}
