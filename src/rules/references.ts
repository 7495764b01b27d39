// The checks of a rules file that both validators share: `parseRules` (zod, for the CLI and npm users) and
// `compileRules` (no zod, for the script tag). Keeping them in one pure module is what makes the two agree on
// everything beyond shape: references between parts, conditions, regexes, selectors, URLs and attributes.
// The walkers tolerate input that is not structurally valid — they skip what they cannot read, because the
// structural validator reports it — so a file's problems can all be listed at once.
import type { Groups, RulesIssue } from "./types";
import { OPERATORS, VALUE_OPERATORS } from "./operators";
import { unsafeRegexReason } from "./regex";

/** What both validators accept as options. */
export interface ParseOptions {
  /** Whether a CSS selector is usable; default: css-what syntax in `parseRules`, a safe subset in `compileRules`. */
  isValidSelector?: (selector: string) => boolean;
}

type Dict = Record<string, unknown>;

// Past this depth a value is reported rather than walked: JSON this deep is a mistake, and a cyclic object (not JSON,
// but callers may pass anything) must not overflow the stack.
const MAX_DEPTH = 64;

/** Segment, experience and variant ids: `sm-<id>` must be a CSS class and an id must fit a URL. */
export const ID_PATTERN = /^[a-z][a-z0-9_-]*$/;
/** Metric and profiling field names, read back as `metrics.x` / `traits.x`; never an Object.prototype member. */
export const NAME_PATTERN = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_][A-Za-z0-9_]*$/;
/** Group names and interest tags: keys of plain objects at run time. */
export const KEY_PATTERN = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z0-9_][A-Za-z0-9_-]*$/;

const ISO_DATE = /^(\d{4})-(\d\d)-(\d\d)(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?$/;

/** The roots of the context document (DESIGN §3): a condition path starting elsewhere is a typo. */
const CONTEXT_ROOTS = ["page", "session", "visitor", "device", "time", "traits", "interests", "metrics", "segments", "searches", "pages"];

/** The metric kinds, each the key that names the metric's source. */
export const METRIC_KINDS = ["count", "sum", "avg", "min", "max", "distinct", "first", "last", "daysSince"] as const;

const TYPE_NAMES = ["string", "number", "boolean", "array", "object", "null", "undefined"];

function isObj(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// ---- paths and messages -----------------------------------------------------------------------------------------

/** `base.key`, or `base["odd key"]` when the key is not an identifier; the root is the empty string. */
export function joinKey(base: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** `base[i]`. */
export function joinIndex(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** Reports a problem into a walk's issues. */
function add(walk: { out: RulesIssue[] }, path: string, message: string): void {
  walk.out.push(issue(path, message));
}

/** An issue at `path` (the root, written `$`, when empty). */
export function issue(path: string, message: string): RulesIssue {
  return { path: path || "$", message };
}

/** Words a "did you mean" hint for `word` among `candidates` (or ""); parseRules passes one, the runtime none. */
export type Suggest = (word: string, candidates: readonly string[]) => string;

const noHint: Suggest = () => "";

// ---- single values ------------------------------------------------------------------------------------------

/** Whether `s` is a calendar date `YYYY-MM-DD` or an ISO date-time (`2026-12-01T09:00`, `…Z`, `…+02:00`). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

function fromEntity(num: string | undefined, name: string | undefined): string {
  if (!num) return name!.toLowerCase() === "colon" ? ":" : "";
  const code = num[0] === "x" || num[0] === "X" ? parseInt(num.slice(1), 16) : parseInt(num, 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : "";
}

/**
 * Null when `url` may go into `href`/`src`/`action`: http(s), mailto:, tel: or relative. Entities are decoded and
 * ASCII whitespace and control characters dropped before the scheme is read, because browsers ignore tabs and
 * newlines inside a scheme (`java\tscript:`) and markup may decode `&colon;` on the way.
 */
export function unsafeUrlReason(url: string): string | null {
  const plain = url
    .replace(/&(?:#(x[\da-f]+|\d+)|(colon|tab|newline));?/gi, (_, num?: string, name?: string) => fromEntity(num, name))
    .replace(/[\u0000-\u0020\u007f]/g, "")
    .toLowerCase();
  if (!plain) return "expected a URL";
  const scheme = /^([a-z][a-z\d+.-]*):/.exec(plain)?.[1];
  if (scheme === undefined || /^(?:https?|mailto|tel)$/.test(scheme)) return null;
  return `"${scheme}:" URLs are not allowed (use http(s), mailto:, tel: or a relative URL)`;
}

/** Null when an attribute may be set to `value` by a change; event handlers, `style` and `srcdoc` never may. */
export function attributeProblem(name: string, value: unknown): string | null {
  const lower = name.toLowerCase();
  if (!/^[a-z_:][\w:.-]*$/.test(lower) || lower === "__proto__") return `"${name}" is not a valid attribute name`;
  if (lower.startsWith("on")) return `event-handler attributes ("${name}") are not allowed`;
  if (lower === "style") return `the "style" attribute is not allowed (use addClass)`;
  if (lower === "srcdoc") return `the "srcdoc" attribute is not allowed`;
  const isUrl = /^(?:href|src|action|formaction|xlink:href|data|poster|background|cite|codebase)$/.test(lower);
  return isUrl && typeof value === "string" ? unsafeUrlReason(value) : null;
}

/** Null when a change has at least one operation and at most one content operation (text/template/html/insert). */
export function changeProblem(change: Dict): string | null {
  const content = ["text", "template", "html", "insert"].filter((k) => change[k] !== undefined);
  if (content.length > 1) return `a change has one content operation, not ${content.join(" and ")}`;
  if (change.hide === true && change.show === true) return "a change cannot both hide and show";
  const other = ["href", "attributes", "addClass", "removeClass"].some((k) => change[k] !== undefined);
  if (content.length || other || change.hide === true || change.show === true) return null;
  return "a change needs an operation (text, href, hide…)";
}

/** Null when an `insert` has exactly one of text and template. */
export function insertProblem(insert: Dict): string | null {
  return (insert.text === undefined) === (insert.template === undefined) ? "insert needs one of text or template" : null;
}

/** Null when an offer has something to show: a template, a title or a body. */
export function offerProblem(offer: Dict): string | null {
  return offer.template === undefined && offer.title === undefined && offer.body === undefined
    ? "an offer needs a template, a title or a body"
    : null;
}

/** Null when an experience has exactly one of changes, variants and offer. */
export function experienceProblem(experience: Dict): string | null {
  const kinds = ["changes", "variants", "offer"].filter((k) => experience[k] !== undefined);
  if (kinds.length === 1) return null;
  return kinds.length ? `an experience has one of changes, variants or offer, not ${kinds.join(" and ")}` : "an experience needs changes, variants or an offer";
}

/** Null when a metric has exactly one kind key. */
export function metricProblem(metric: Dict): string | null {
  const kinds = METRIC_KINDS.filter((k) => metric[k] !== undefined);
  if (kinds.length === 1) return null;
  return kinds.length ? `a metric has one kind, not ${kinds.join(" and ")}` : `a metric needs one of ${METRIC_KINDS.join(", ")}`;
}

/** An event type (`pageview`, `signup`): no dots, since `type.prop` paths split on the first one. */
function isEventType(s: string): boolean {
  return s !== "" && s.trim() === s && !s.includes(".");
}

/** A dot path whose parts are all non-empty and unpadded. */
function isDotPath(s: string, minParts: number): boolean {
  const parts = s.split(".");
  return parts.length >= minParts && parts.every((p) => p !== "" && p.trim() === p);
}

// ---- conditions ---------------------------------------------------------------------------------------------

/** Whether a value is plain JSON (finite numbers, no undefined or functions). */
function isJson(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  return isObj(value) && Object.keys(value).every((k) => isJson(value[k], depth + 1));
}

function unknownOperator(op: string, w: Walk): string {
  return `unknown operator "${op}"${w.suggest(op, [...OPERATORS])}`;
}

interface Walk {
  groups: Dict;
  out: RulesIssue[];
  suggest: Suggest;
}

function checkCondition(c: unknown, path: string, w: Walk, depth: number): void {
  if (depth > MAX_DEPTH) return add(w, path, "nested too deeply");
  if (!isObj(c)) return add(w, path, "expected a condition (an object)");
  for (const key of Object.keys(c)) {
    const value = c[key];
    const at = joinKey(path, key);
    if (key === "$and" || key === "$or" || key === "$nor") {
      if (Array.isArray(value)) value.forEach((item, i) => checkCondition(item, joinIndex(at, i), w, depth + 1));
      else add(w, at, "expected a list of conditions");
    } else if (key === "$not") checkCondition(value, at, w, depth + 1);
    else if (key[0] === "$") {
      const known = (VALUE_OPERATORS as readonly string[]).includes(key);
      add(w, at, known ? `"${key}" must follow a path` : unknownOperator(key, w));
    } else {
      if (!isDotPath(key, 1)) add(w, at, `malformed path "${key}"`);
      checkValue(value, at, w, depth + 1);
    }
  }
}

/** A condition value: a literal to compare with, or an operator object (every key starts with `$`). */
function checkValue(value: unknown, path: string, w: Walk, depth: number): void {
  if (depth > MAX_DEPTH) return add(w, path, "nested too deeply");
  if (isObj(value)) {
    const keys = Object.keys(value);
    const op = keys.find((k) => k[0] === "$");
    const plain = keys.find((k) => k[0] !== "$");
    if (op !== undefined && plain !== undefined) {
      return add(w, path, `cannot mix an operator ("${op}") with a plain key ("${plain}")`);
    }
    if (op !== undefined) {
      for (const key of keys) checkOperator(key, value[key], joinKey(path, key), w, depth + 1);
      return;
    }
  }
  if (!isJson(value, depth)) add(w, path, "expected a JSON value");
}

function checkOperator(op: string, arg: unknown, path: string, w: Walk, depth: number): void {
  const problem = operatorProblem(op, arg, path, w, depth);
  if (problem) add(w, path, problem);
}

/** What is wrong with one operator's argument (nested conditions report their own issues). */
function operatorProblem(op: string, arg: unknown, path: string, w: Walk, depth: number): string | null {
  const t = typeof arg;
  switch (op) {
    case "$eq":
    case "$ne":
      return arg === null || t === "string" || t === "boolean" || (t === "number" && Number.isFinite(arg))
        ? null
        : "expected a string, number, true, false or null";
    case "$lt":
    case "$lte":
    case "$gt":
    case "$gte":
      return t === "string" || (t === "number" && Number.isFinite(arg)) ? null : "expected a number or a string";
    case "$in":
    case "$nin":
    case "$ini":
    case "$nini":
      return Array.isArray(arg) && isJson(arg, depth) ? null : "expected a list of values";
    case "$all":
    case "$alli":
      if (!Array.isArray(arg)) return "expected a list of values";
      arg.forEach((item, i) => checkValue(item, joinIndex(path, i), w, depth + 1));
      return null;
    case "$elemMatch":
      if (!isObj(arg)) return "expected a condition (an object)";
      if (Object.keys(arg).length && Object.keys(arg).every((k) => k[0] === "$")) checkValue(arg, path, w, depth);
      else checkCondition(arg, path, w, depth);
      return null;
    case "$size":
      if (isObj(arg)) return checkValue(arg, path, w, depth), null;
      return Number.isInteger(arg) && (arg as number) >= 0 ? null : "expected a whole number or an operator object";
    case "$exists":
      return t === "boolean" ? null : "expected true or false";
    case "$type":
      return TYPE_NAMES.includes(arg as string) ? null : `expected one of ${TYPE_NAMES.join(", ")}`;
    case "$regex":
    case "$regexi":
      return t === "string" ? unsafeRegexReason(arg as string) : "expected a regular expression (a string)";
    case "$not":
      return checkValue(arg, path, w, depth), null;
    case "$veq":
    case "$vne":
    case "$vgt":
    case "$vgte":
    case "$vlt":
    case "$vlte":
      return (t === "string" && arg !== "") || (t === "number" && Number.isFinite(arg)) ? null : 'expected a version like "2.1.0"';
    case "$inGroup":
    case "$notInGroup":
      if (t !== "string") return "expected a group name";
      return Object.prototype.hasOwnProperty.call(w.groups, arg as string) ? null : `unknown group "${arg as string}"${w.suggest(arg as string, Object.keys(w.groups))}`;
    case "$and":
    case "$or":
    case "$nor":
      return `"${op}" combines whole conditions; it cannot follow a path`;
    default:
      return unknownOperator(op, w);
  }
}

/** Problems in one condition (operators, their arguments, regexes, groups); `path` is where it sits in the file. */
export function conditionIssues(condition: unknown, path: string, groups?: Groups, suggest: Suggest = noHint): RulesIssue[] {
  const w: Walk = { groups: isObj(groups) ? groups : {}, out: [], suggest };
  checkCondition(condition, path, w, 0);
  return w.out;
}

/** Calls `visit` for each path key of a condition, through `$and`/`$or`/`$nor`/`$not` (not into `$elemMatch`). */
function eachPath(c: unknown, path: string, visit: (key: string, value: unknown, at: string) => void, depth = 0): void {
  if (!isObj(c) || depth > MAX_DEPTH) return;
  for (const key of Object.keys(c)) {
    const at = joinKey(path, key);
    if (key === "$not") eachPath(c[key], at, visit, depth + 1);
    else if (key === "$and" || key === "$or" || key === "$nor") list(c[key]).forEach((x, i) => eachPath(x, joinIndex(at, i), visit, depth + 1));
    else if (key[0] !== "$") visit(key, c[key], at);
  }
}

/** The segment ids a `segments` test names: strings in the value, skipping operators whose argument is not an id. */
function segmentNames(value: unknown, path: string, out: [string, string][], depth = 0): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === "string") out.push([value, path]);
  else if (Array.isArray(value)) value.forEach((v, i) => segmentNames(v, joinIndex(path, i), out, depth + 1));
  else if (isObj(value)) {
    for (const key of Object.keys(value)) {
      if (!/^\$(?:regexi?|size|type|exists|v[a-z]+|inGroup|notInGroup)$/.test(key)) segmentNames(value[key], joinKey(path, key), out, depth + 1);
    }
  }
}

// ---- the whole file ----------------------------------------------------------------------------------------------

interface FileWalk {
  out: RulesIssue[];
  rules: Dict;
  isValidSelector: (selector: string) => boolean;
  suggest: Suggest;
}

/** `__proto__` keys anywhere (JSON.parse makes them own keys, and copying one would replace a prototype). */
function protoKeys(value: unknown, path: string, out: RulesIssue[], depth: number): void {
  if (typeof value !== "object" || value === null) return;
  if (depth > MAX_DEPTH) return void out.push(issue(path, "nested too deeply"));
  if (Array.isArray(value)) return value.forEach((v, i) => protoKeys(v, joinIndex(path, i), out, depth + 1));
  for (const key of Object.keys(value)) {
    if (key === "__proto__") out.push(issue(path, 'the key "__proto__" is not allowed'));
    else protoKeys((value as Dict)[key], joinKey(path, key), out, depth + 1);
  }
}

function checkSelector(f: FileWalk, selector: unknown, path: string): void {
  if (typeof selector !== "string") return;
  let valid = false;
  try {
    valid = selector.trim() !== "" && f.isValidSelector(selector) === true;
  } catch {
    // A checker that throws has rejected the selector.
  }
  if (!valid) add(f, path, `expected a CSS selector, got ${JSON.stringify(selector)}`);
}

/** Duplicate ids among `items` (objects with a string `key`), reported at the later one. */
function checkUnique(f: FileWalk, items: unknown[], path: string, key: string, what: string): string[] {
  const seen = new Map<string, string>();
  items.forEach((item, i) => {
    const id = isObj(item) ? item[key] : undefined;
    if (typeof id !== "string") return;
    const at = joinIndex(path, i);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, at);
    else add(f, joinKey(at, key), `duplicate ${what} "${id}" (also ${first})`);
  });
  return [...seen.keys()];
}

/** A condition on the context: its own problems, plus paths naming unknown roots, metrics and segments. */
function checkContextCondition(f: FileWalk, c: unknown, path: string, segments: string[], later: string[] = [], self = ""): void {
  if (!isObj(c)) return;
  f.out.push(...conditionIssues(c, path, f.rules.groups as Groups, f.suggest));
  const metrics = isObj(f.rules.metrics) ? Object.keys(f.rules.metrics) : [];
  eachPath(c, path, (key, value, at) => {
    const [root = "", second] = key.split(".");
    if (!CONTEXT_ROOTS.includes(root)) add(f, at, `unknown path "${key}"${f.suggest(root, CONTEXT_ROOTS)}`);
    else if (root === "metrics" && second !== undefined && !metrics.includes(second)) {
      add(f, at, `unknown metric "${second}"${f.suggest(second, metrics)}`);
    } else if (key === "segments") {
      const names: [string, string][] = [];
      segmentNames(value, at, names);
      for (const [name, p] of names) checkSegmentRef(f, name, p, segments, later, self);
    }
  });
}

function checkSegmentRef(f: FileWalk, name: string, path: string, known: string[], later: string[], self: string): void {
  if (known.includes(name)) return;
  if (name === self) add(f, path, `segment "${name}" cannot test itself`);
  else if (later.includes(name)) add(f, path, `segment "${name}" is defined later; a segment can only test earlier ones`);
  else add(f, path, `unknown segment "${name}"${f.suggest(name, known.concat(later))}`);
}

function checkMetrics(f: FileWalk): void {
  if (!isObj(f.rules.metrics)) return;
  for (const [name, m] of Object.entries(f.rules.metrics)) {
    if (!isObj(m)) continue;
    const at = joinKey("metrics", name);
    for (const kind of METRIC_KINDS) {
      const source = m[kind];
      if (typeof source !== "string") continue;
      if (kind === "count" || kind === "daysSince") {
        if (!isEventType(source)) add(f, joinKey(at, kind), `expected an event type like "pageview", got ${JSON.stringify(source)}`);
      } else if (!isDotPath(source, 2)) {
        add(f, joinKey(at, kind), `expected "type.property" like "purchase.value", got ${JSON.stringify(source)}`);
      }
    }
    if (isObj(m.where)) f.out.push(...conditionIssues(m.where, joinKey(at, "where"), f.rules.groups as Groups, f.suggest));
  }
}

function checkSegments(f: FileWalk): string[] {
  const segments = list(f.rules.segments);
  const ids = checkUnique(f, segments, "segments", "id", "segment id");
  const earlier: string[] = [];
  segments.forEach((s, i) => {
    if (!isObj(s)) return;
    const self = typeof s.id === "string" ? s.id : "";
    checkContextCondition(f, s.when, joinKey(joinIndex("segments", i), "when"), earlier, ids.filter((id) => !earlier.includes(id) && id !== self), self);
    if (self) earlier.push(self);
  });
  return ids;
}

function checkChanges(f: FileWalk, changes: unknown, path: string): void {
  list(changes).forEach((c, i) => {
    if (!isObj(c)) return;
    const at = joinIndex(path, i);
    checkSelector(f, c.selector, joinKey(at, "selector"));
    checkSelector(f, c.template, joinKey(at, "template"));
    if (isObj(c.insert)) checkSelector(f, c.insert.template, joinKey(joinKey(at, "insert"), "template"));
  });
}

function checkGoals(f: FileWalk, goals: unknown, path: string, segments: string[]): void {
  list(goals).forEach((g, i) => {
    if (!isObj(g)) return;
    const at = joinIndex(path, i);
    checkSelector(f, g.click, joinKey(at, "click"));
    checkContextCondition(f, g.pageview, joinKey(at, "pageview"), segments);
    if (typeof g.event === "string" && !isEventType(g.event)) add(f, joinKey(at, "event"), `expected an event type like "signup", got ${JSON.stringify(g.event)}`);
  });
}

function checkExperience(f: FileWalk, e: Dict, at: string, segments: string[]): void {
  const segmentList = typeof e.segment === "string" ? [e.segment] : list(e.segment);
  segmentList.forEach((name, j) => {
    const p = typeof e.segment === "string" ? joinKey(at, "segment") : joinIndex(joinKey(at, "segment"), j);
    if (typeof name === "string" && !segments.includes(name)) add(f, p, `unknown segment "${name}"${f.suggest(name, segments)}`);
  });
  checkContextCondition(f, e.when, joinKey(at, "when"), segments);
  checkContextCondition(f, e.pages, joinKey(at, "pages"), segments);
  if (typeof e.start === "string" && typeof e.end === "string" && e.end.slice(0, 10) < e.start.slice(0, 10)) {
    add(f, joinKey(at, "end"), `ends (${e.end}) before it starts (${e.start})`);
  }
  checkChanges(f, e.changes, joinKey(at, "changes"));
  const variants = list(e.variants);
  checkUnique(f, variants, joinKey(at, "variants"), "id", "variant id");
  variants.forEach((v, j) => {
    if (!isObj(v)) return;
    const vp = joinIndex(joinKey(at, "variants"), j);
    if (v.id === "control") add(f, joinKey(vp, "id"), '"control" is reserved for holdout visitors');
    checkChanges(f, v.changes, joinKey(vp, "changes"));
  });
  if (isObj(e.offer)) checkSelector(f, e.offer.template, joinKey(joinKey(at, "offer"), "template"));
  checkGoals(f, e.goals, joinKey(at, "goals"), segments);
}

function checkProfiling(f: FileWalk): void {
  const p = f.rules.profiling;
  if (!isObj(p)) return;
  const fields = list(p.fields);
  const names = checkUnique(f, fields, "profiling.fields", "name", "field name");
  fields.forEach((field, i) => {
    if (!isObj(field)) return;
    const at = joinIndex("profiling.fields", i);
    if (field.type === "select" && field.options === undefined) add(f, joinKey(at, "options"), "a select field needs options");
    if (field.options !== undefined && field.type !== undefined && field.type !== "select") {
      add(f, joinKey(at, "options"), `options only apply to select fields, not ${JSON.stringify(field.type)}`);
    }
  });
  list(p.always).forEach((name, i) => {
    if (typeof name === "string" && !names.includes(name)) add(f, joinIndex("profiling.always", i), `unknown field "${name}"${f.suggest(name, names)}`);
  });
}

/**
 * Every problem beyond shape: duplicate ids, references to unknown or later segments, unknown groups, metrics and
 * fields, conditions (operators, regexes), metric sources, selectors, `__proto__` keys. Takes a `Rules` or the raw
 * JSON of one: whatever is not structurally valid is skipped, since the structural validator reports it.
 */
export function crossReferenceIssues(rules: unknown, options: Required<ParseOptions> & { suggest?: Suggest }): RulesIssue[] {
  const f: FileWalk = { out: [], rules: isObj(rules) ? rules : {}, isValidSelector: options.isValidSelector, suggest: options.suggest ?? noHint };
  protoKeys(rules, "", f.out, 0);
  checkMetrics(f);
  const segments = checkSegments(f);
  const experiences = list(f.rules.experiences);
  checkUnique(f, experiences, "experiences", "id", "experience id");
  experiences.forEach((e, i) => {
    if (isObj(e)) checkExperience(f, e, joinIndex("experiences", i), segments);
  });
  checkProfiling(f);
  if (isObj(f.rules.interests)) {
    list(f.rules.interests.tags).forEach((t, i) => {
      if (isObj(t)) checkContextCondition(f, t.when, joinKey(joinIndex("interests.tags", i), "when"), segments);
    });
  }
  return f.out;
}
