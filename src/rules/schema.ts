// The rules file (DESIGN §2) as one zod v4 schema: the definition `parseRules`, the CLI, the JSON Schema for editors and
// the debug panel share. The script-tag runtime does not carry zod; `compile.ts` re-checks the same format without it,
// and a property test keeps the two in agreement. Checks beyond shape (references.ts) run once, in the runtime's walk:
// `parseRules` takes what that walk finds and words it for people here, where bytes do not count.
import * as z from "zod";
import type { Condition, Rules, RulesIssue } from "./types";
import { compileRules, type ParseOptions } from "./compile";
import { OPERATORS } from "./operators";
import {
  ID_PATTERN, ISO_DATE, isObj, issue, join, KEY_PATTERN, MAX_DEPTH, METRIC_KINDS, NAME_PATTERN, PROPERTY_PATH,
  VARIANT_ID_PATTERN, type Finding,
} from "./references";
import { isValidSelectorSyntax } from "./selector";

export type { ParseOptions } from "./compile";

/** A rules file that failed validation; `issues` lists every problem, each with the JSON path it is at. */
export class RulesError extends Error {
  readonly issues: RulesIssue[];

  constructor(issues: RulesIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(`Invalid segmint rules (${count}):\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`);
    this.name = "RulesError";
    this.issues = issues;
  }
}

/** What `safeParseRules` returns. */
export type SafeParseRulesResult = { success: true; data: Rules } | { success: false; error: RulesError };

type Dict = Record<string, unknown>;
type RawIssue = z.core.$ZodRawIssue;
type FinalIssue = z.core.$ZodIssue;

const SEARCH_PARAMS = ["q", "s", "query", "search"];
const SCHEMA_ID = "https://unpkg.com/segmint/dist/segmint.schema.json";

// ---- building blocks ------------------------------------------------------------------------------------------

/** Edit distance with transpositions (so `segmnets` is one step from `segments`), ignoring case. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    [before, prev] = [prev, row];
  }
  return prev[b.length]!;
}

/** ` (did you mean "x"?)` when one candidate is close to `word`, else "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best = "";
  // Close enough to be a typo: one edit in a word of up to 3 letters, two up to 6, three beyond.
  let bestDistance = word.length <= 3 ? 2 : word.length <= 6 ? 3 : 4;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best ? ` (did you mean "${best}"?)` : "";
}

/** A strict object whose unknown keys are reported one per line, each with a "did you mean" when one is close. */
function strict<T extends z.core.$ZodLooseShape>(shape: T, description?: string) {
  const known = Object.keys(shape);
  const schema = z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? iss.keys.map((k) => `unknown key "${k}"${didYouMean(k, known)}`).join("\n")
        : undefined,
  });
  return description ? schema.describe(description) : schema;
}

/** `what` with its article: "a segment", "an experience". */
function id(what: string) {
  return z.string().regex(ID_PATTERN, `expected ${what} id: lowercase letters, digits, - and _, starting with a letter`);
}

function name(what: string) {
  return z.string().regex(NAME_PATTERN, `expected a ${what} name: letters, digits and _, not starting with a digit`);
}

function selector(what = "A CSS selector") {
  return z.string().describe(what);
}

function url(description: string) {
  return z.string().describe(description);
}

function condition(description: string) {
  return z
    .custom<Condition>(isObj, {
      error: (iss) => (iss.input === undefined ? undefined : 'expected a condition (an object like { "page.path": "/" })'),
    })
    .describe(description);
}

function isoDate(description: string) {
  return z
    .string()
    .regex(ISO_DATE, "expected a date like 2026-12-01, or an ISO date-time like 2026-12-01T09:00:00Z")
    .describe(description);
}

const positive = () => z.number().positive();
const nonNegative = () => z.number().nonnegative();

// ---- the parts of the file -------------------------------------------------------------------------------------

function trackingSchema() {
  return strict(
    {
      searchParams: z.array(z.string().min(1)).default(() => [...SEARCH_PARAMS])
        .describe('Query parameters that hold a site-search term. Default ["q", "s", "query", "search"].'),
      sessionTimeoutMinutes: positive().default(30).describe("Minutes of inactivity that end a session. Default 30."),
      hashRoutes: z.boolean().default(false).describe("Treat #/route changes as page views (hash-routed apps). Default false."),
      retentionDays: z.int().positive().default(400).describe("Days raw events are kept. Default 400."),
      maxEvents: z.int().positive().default(5000).describe("Most raw events kept (oldest dropped first). Default 5000."),
      consent: z.enum(["granted", "pending", "denied"]).default("granted")
        .describe('Default consent when the site does not set one: "pending" stores nothing until granted. Default "granted".'),
      prehideMs: z.int().nonnegative().default(150)
        .describe("Longest time a targeted element stays hidden while its change is applied. Default 150."),
    },
    "What is recorded and kept.",
  ).prefault({});
}

function metricSchema() {
  const kinds: Record<string, string> = {
    count: 'Counts events of a type, e.g. "pageview".',
    sum: 'Sums a numeric property, "type.property", e.g. "purchase.value".',
    avg: 'Averages a numeric property, "type.property".',
    min: 'Smallest value of a numeric property, "type.property".',
    max: 'Largest value of a numeric property, "type.property".',
    distinct: 'Number of distinct values of a property, "type.property".',
    first: 'First value seen of a property, "type.property".',
    last: 'Last value seen of a property, "type.property", e.g. "search.query".',
    daysSince: 'Days since the last event of a type, e.g. "purchase".',
  };
  const shape: Record<string, z.ZodType> = {};
  for (const kind of METRIC_KINDS) {
    const source = kind === "count" || kind === "daysSince"
      ? z.string()
      : z.string().regex(PROPERTY_PATH, 'expected "type.property" like "purchase.value"');
    shape[kind] = source.optional().describe(kinds[kind]!);
  }
  shape.where = condition("Only events matching this condition (on type, path and props) count.").optional();
  shape.withinDays = z.int().positive().optional().describe("Only the last n days count (whole days).");
  return strict(shape, "A metric: exactly one of count, sum, avg, min, max, distinct, first, last, daysSince.");
}

function segmentSchema() {
  return strict(
    {
      id: id("a segment").describe("Segment id; <html> gets the class sm-<id> while the visitor is in it."),
      when: condition("Who is in the segment. Can test earlier segments through \"segments\"."),
      stickyDays: positive().optional().describe("Keep visitors in for this many days after they last qualified."),
      description: z.string().optional().describe("A note for people; not used."),
    },
    "A segment: visitors matching `when`. Segments are evaluated in order.",
  );
}

function classesSchema(description: string) {
  return z
    .union([
      z.string().regex(/\S/, "expected class names"),
      z.array(z.string().regex(/^\S+$/, "expected one class name, without spaces")).min(1),
    ], { error: "expected class names (a string, or a list of strings)" })
    .describe(description);
}

function attributesSchema() {
  return z
    .record(z.string(), z.union([z.string(), z.null()], { error: "expected a string, or null to remove the attribute" }))
    .describe("Attributes to set (null removes one). on* event handlers, style and srcdoc are refused; URLs must be http(s), relative, mailto: or tel:.");
}

function changeSchema() {
  const insert = strict(
    {
      position: z.enum(["before", "after", "prepend", "append"]).describe("Where, relative to the element."),
      text: z.string().optional().describe("Text to insert ({{path|fallback}} tokens allowed)."),
      template: selector("A selector for a page <template> to clone and insert.").optional(),
    },
    "Insert new content next to or inside the element: one of text or template.",
  );
  return strict(
    {
      selector: selector("The elements to change."),
      text: z.string().optional().describe("Replace the text; {{traits.firstName|friend}} tokens read the context."),
      template: selector("Replace the element's children with a clone of this page <template>.").optional(),
      html: z.string().optional().describe("Replace the HTML, only through a sanitizer (Element.setHTML or the sanitize option)."),
      insert: insert.optional(),
      href: url("New link target: http(s), relative, mailto: or tel:.").optional(),
      attributes: attributesSchema().optional(),
      addClass: classesSchema("Class names to add.").optional(),
      removeClass: classesSchema("Class names to remove.").optional(),
      hide: z.boolean().optional().describe("Hide the element."),
      show: z.boolean().optional().describe("Show an element hidden by default."),
    },
    "A change: a selector, at most one of text/template/html/insert, plus any of href, attributes, addClass, removeClass, hide, show.",
  );
}

function triggerSchema() {
  const mobile = strict({
    scrollUp: z.boolean().optional().describe("A fast scroll up counts as exit intent. Default true."),
    tabReturn: z.boolean().optional().describe("Returning to the tab counts. Default true."),
    idleSeconds: nonNegative().optional().describe("Seconds idle that count (0 = off). Default 0."),
  }, "Exit intent on touch devices, or false to turn it off there.");
  const exitIntent = strict({
    sensitivity: nonNegative().optional().describe("Pixels from the top of the window. Default 20."),
    minSecondsOnPage: nonNegative().optional().describe("Not before this many seconds on the page. Default 5."),
    graceMs: z.int().nonnegative().optional().describe("Cancel if the pointer comes back within this time. Default 300."),
    mobile: z.union([z.literal(false), mobile], { error: "expected false or an object" }).optional(),
    backButton: z.boolean().optional().describe("The back button counts as exit intent. Default false."),
  }, "Show when the visitor is about to leave.");
  return z
    .union(
      [
        z.literal("load").describe("When the page loads (default)."),
        strict({ exitIntent }),
        strict({ afterSeconds: nonNegative().describe("Seconds after the page loads.") }),
        strict({ scrollDepth: z.number().min(0).max(100).describe("Percent of the page scrolled.") }),
      ],
      { error: 'expected "load", { "exitIntent": {…} }, { "afterSeconds": n } or { "scrollDepth": percent }' },
    )
    .describe('When the experience starts: "load" (default), exitIntent, afterSeconds or scrollDepth.');
}

function offerSchema() {
  const cta = strict({
    text: z.string().describe("Button text."),
    href: url("Where the button goes: http(s), relative, mailto: or tel:.").optional(),
  }, "The call-to-action button.");
  return strict(
    {
      template: selector("A page <template> with the offer's own markup and CSS.").optional(),
      title: z.string().optional().describe("Dialog title."),
      body: z.string().optional().describe("Dialog text."),
      cta: cta.optional(),
    },
    "A dialog: from a page <template>, or from title/body/cta with segmint's stylesheet.",
  );
}

function goalSchema() {
  return z.union(
    [
      strict({ click: selector("A click on an element matching this selector.") }),
      strict({ pageview: condition("A page view matching this condition on the context.") }),
      strict({ event: z.string().describe('A custom event tracked with track(type), e.g. "signup".') }),
    ],
    { error: 'expected { "click": selector }, { "pageview": condition } or { "event": type }' },
  );
}

function experienceSchema() {
  const change = changeSchema();
  const variant = strict({
    id: id("a variant").regex(VARIANT_ID_PATTERN, '"control" is reserved for holdout visitors'),
    weight: positive().optional().describe("Relative share of visitors. Default 1."),
    changes: z.array(change).min(1),
  }, "An A/B variant.");
  return strict(
    {
      id: id("an experience"),
      description: z.string().optional().describe("A note for people; not used."),
      segment: z
        .union([z.string(), z.array(z.string()).min(1)], { error: "expected a segment id or a list of segment ids" })
        .optional()
        .describe("Segment id, or a list (any of them)."),
      when: condition("An extra condition on the context.").optional(),
      pages: condition('Pages where it runs, e.g. { "page.path": "/" }.').optional(),
      enabled: z.boolean().optional().describe("false switches it off. Default true."),
      start: isoDate("Runs from this date (YYYY-MM-DD or ISO date-time).").optional(),
      end: isoDate("Runs until this date (YYYY-MM-DD or ISO date-time).").optional(),
      holdout: z.number().min(0).max(1).optional().describe("Share of eligible visitors kept as control, 0 to 1."),
      changes: z.array(change).min(1).optional().describe("Changes to the page (or use variants, or offer)."),
      variants: z.array(variant).min(1).optional().describe("Weighted A/B/n variants (or use changes, or offer)."),
      offer: offerSchema().optional(),
      trigger: triggerSchema().optional(),
      frequency: strict({
        maxShows: z.int().positive().optional().describe("Show at most this many times…"),
        perDays: positive().optional().describe("…per this many days."),
        afterDismissDays: nonNegative().optional().describe("Wait this many days after a dismissal."),
        afterConversionDays: nonNegative().optional().describe("Wait this many days after a conversion."),
      }, "Frequency capping.").optional(),
      goals: z.array(goalSchema()).optional().describe("What counts as a conversion."),
      attributionDays: positive().default(30).describe("Conversions count this many days after exposure. Default 30."),
    },
    "An experience: targeting, then changes, variants or an offer. Earlier experiences win on the same element.",
  );
}

function profilingSchema() {
  const field = strict({
    name: name("field").describe("Trait name (traits.<name>)."),
    type: z.enum(["text", "email", "number", "tel", "select"]).optional().describe("Input type; select when options are given."),
    label: z.string().optional().describe("Label shown on the form."),
    options: z.array(z.string().min(1)).min(1).optional().describe("Choices of a select field."),
    sensitive: z.boolean().optional().describe("Store only that it was answered, never the value."),
  }, "A progressive-profiling field.");
  return strict(
    {
      fields: z.array(field).default(() => []).describe("Fields to ask, in order."),
      perForm: z.int().positive().default(2).describe("Fields asked per form. Default 2."),
      always: z.array(z.string()).default(() => []).describe("Field names shown on every form."),
    },
    "Progressive profiling: ask a few questions at a time.",
  ).prefault({});
}

function interestsSchema() {
  const rule = strict({
    when: condition("Pages (or context) that show the interest."),
    tags: z.array(z.string().regex(KEY_PATTERN, "expected a tag: letters, digits, - and _")).min(1).describe("Interest tags scored."),
  });
  return strict(
    {
      halfLifeDays: positive().default(14).describe("Days for an interest score to halve. Default 14."),
      tags: z.array(rule).default(() => []).describe("Rules that score interests."),
    },
    "Interest scores (0..1) from what the visitor reads.",
  ).prefault({});
}

function rootSchema() {
  return strict(
    {
      $schema: z.string().optional().describe('Path of this JSON Schema, for editors: "./segmint.schema.json".'),
      version: z.literal(1, {
        error: (iss) =>
          iss.input === undefined
            ? 'is required: add "version": 1'
            : `unsupported version ${JSON.stringify(iss.input)}: this segmint reads version 1`,
      }).describe("Format version: 1."),
      tracking: trackingSchema(),
      groups: z
        .record(z.string().regex(KEY_PATTERN, "expected a group name: letters, digits, - and _"), z.array(z.union([z.string(), z.number()], { error: "expected a string or a number" })))
        .default(() => ({}))
        .describe("Named lists for $inGroup / $notInGroup."),
      metrics: z.record(name("metric"), metricSchema()).default(() => ({})).describe("Metrics over the visitor's events, read as metrics.<name>."),
      segments: z.array(segmentSchema()).default(() => []).describe("Segments, in order."),
      experiences: z.array(experienceSchema()).default(() => []).describe("Experiences, in priority order."),
      profiling: profilingSchema(),
      interests: interestsSchema(),
    },
    "segmint rules file",
  );
}

let cached: z.ZodType | undefined;

/** The zod schema of the rules file, built on first use so importing this module does no work. */
export function rulesSchema(): z.ZodType {
  return (cached ??= rootSchema());
}

// ---- messages ---------------------------------------------------------------------------------------------------

const NOUNS: Record<string, string> = {
  string: "a string", number: "a number", int: "a whole number", boolean: "true or false", object: "an object",
  array: "a list", null: "null",
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object") return "an object";
  return typeof value === "number" || typeof value === "boolean" ? String(value) : typeof value;
}

function bound(iss: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }, small: boolean): string {
  const n = String(small ? iss.minimum : iss.maximum);
  if (small) return iss.inclusive ? `at least ${n}` : `greater than ${n}`;
  return iss.inclusive ? `at most ${n}` : `less than ${n}`;
}

/** Marketer-readable wording for zod's generic issues (schemas with their own message keep it). */
function errorMessage(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case "custom":
      return iss.input === undefined ? "is required" : undefined;
    case "invalid_union":
      return "invalid value";
    case "invalid_type":
      return iss.input === undefined ? "is required" : `expected ${NOUNS[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`;
    case "too_small":
      return iss.origin === "array" ? `expected at least ${String(iss.minimum)} item(s)` : iss.origin === "string" ? "must not be empty" : `must be ${bound(iss, true)}`;
    case "too_big":
      return iss.origin === "int" ? "is too large" : `must be ${bound(iss, false)}`;
    case "invalid_value":
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${describeValue(iss.input)}`;
    default:
      return undefined;
  }
}

/** The branch of a failed union that the input was evidently meant for, or undefined when that is unclear. */
function likelyBranch(branches: FinalIssue[][]): FinalIssue[] | undefined {
  const atRoot = (issues: FinalIssue[], allowUnknownKeys: boolean) =>
    issues.some((i) => i.path.length === 0 && !(allowUnknownKeys && i.code === "unrecognized_keys"));
  const matched = branches.filter((b) => !atRoot(b, false));
  if (matched.length === 1) return matched[0];
  const nearly = branches.filter((b) => !atRoot(b, true));
  return matched.length === 0 && nearly.length === 1 ? nearly[0] : undefined;
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((p, k) => join(p, typeof k === "number" ? k : String(k)), "");
}

/** zod issues as rules issues: unions narrowed to the branch meant, unknown keys one per line, record keys named. */
function toRulesIssues(issues: FinalIssue[], prefix: PropertyKey[] = []): RulesIssue[] {
  return issues.flatMap((i): RulesIssue[] => {
    const path = [...prefix, ...i.path];
    if (i.code === "invalid_union") {
      const branch = likelyBranch(i.errors);
      if (branch) return toRulesIssues(branch, path);
    }
    if (i.code === "invalid_key") {
      return [issue(formatPath(path), `${i.issues.map((k) => k.message).join("; ")}, got ${JSON.stringify(path[path.length - 1])}`)];
    }
    return i.message.split("\n").map((m) => issue(formatPath(path), m));
  });
}

// ---- problems beyond shape, worded for people ----------------------------------------------------------------

/** The value at a path as `join` writes it (`a.b[0]["odd key"]`), or undefined. */
function resolve(root: unknown, path: string): unknown {
  if (path === "$") return root;
  let node = root;
  for (const [, name, index, quoted] of path.matchAll(/\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    node = isObj(node) || Array.isArray(node) ? (node as Dict)[name ?? index ?? (JSON.parse(quoted!) as string)] : undefined;
  }
  return node;
}

/** The string `key`s of the objects in a list. */
function namesIn(list: unknown, key: string): string[] {
  return (Array.isArray(list) ? list : []).flatMap((item) => (isObj(item) && typeof item[key] === "string" ? [item[key]] : []));
}

/** "a, b or c". */
function orList(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}` : (words[0] ?? "");
}

function segmentMessage(name: string, path: string, rules: Dict): string {
  const segment = /^segments\[\d+\]/.exec(path)?.[0];
  const self = segment === undefined ? undefined : resolve(rules, `${segment}.id`);
  const ids = namesIn(rules.segments, "id").filter((id) => id !== self);
  if (name === self) return `segment "${name}" cannot test itself`;
  if (segment !== undefined && ids.includes(name)) return `segment "${name}" is defined later; a segment can only test earlier ones`;
  return `unknown segment "${name}"${didYouMean(name, ids)}`;
}

function duplicateMessage(id: string, path: string, rules: Dict): string {
  const [, list = "", key = ""] = /^(.*)\[\d+\]\.(\w+)$/.exec(path) ?? [];
  const noun = (/(\w+)$/.exec(list)?.[1] ?? "").replace(/s$/, "");
  const first = namesIn(resolve(rules, list), key).indexOf(id);
  return `duplicate ${noun} ${key} "${id}" (also ${list}[${first}])`;
}

/** Why a name was refused (references.ts ALLOWED_ATTRIBUTE), or the `__proto__` key (of a record or a condition). */
function attributeMessage(name: string): string {
  const lower = name.toLowerCase();
  if (name === "__proto__") return 'the key "__proto__" is not allowed';
  if (lower.startsWith("on")) return `event-handler attributes ("${name}") are not allowed`;
  if (lower === "style") return 'the "style" attribute is not allowed (use addClass)';
  if (lower === "srcdoc") return 'the "srcdoc" attribute is not allowed';
  return `"${name}" is not a valid attribute name`;
}

function urlMessage(url: string): string {
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(url)?.[1];
  if (scheme) return `"${scheme.toLowerCase()}:" URLs are not allowed (use http(s), mailto:, tel: or a relative URL)`;
  return `${JSON.stringify(url)} is not a plain http(s), mailto:, tel: or relative URL: entities, spaces and control characters are refused before its first ":", "/", "?" or "#"`;
}

function choiceMessage(keys: string[], path: string, rules: Dict): string {
  const o = resolve(rules, path);
  const present = isObj(o) ? keys.filter((k) => o[k] !== undefined) : [];
  return present.length ? `has one of ${orList(keys)}, not ${present.join(" and ")}` : `needs one of ${orList(keys)}`;
}

/** A finding of the runtime's walk (compile.ts, references.ts), worded for people: its terse message says less. */
function reword(f: Finding, json: unknown): string {
  const rules = isObj(json) ? json : {};
  const word = typeof f.word === "string" ? f.word : "";
  switch (f.code) {
    case "unknown operator":
      return `unknown operator "${word}"${didYouMean(word, OPERATORS)}`;
    case "unknown group":
      return `unknown group ${JSON.stringify(f.word)}${didYouMean(word, Object.keys(isObj(rules.groups) ? rules.groups : {}))}`;
    case "unknown segment":
      return segmentMessage(word, f.path, rules);
    case "unknown field":
      return `unknown field "${word}"${didYouMean(word, namesIn(isObj(rules.profiling) ? rules.profiling.fields : [], "name"))}`;
    case "duplicate":
      return duplicateMessage(word, f.path, rules);
    case "invalid selector":
      return `expected a CSS selector, got ${JSON.stringify(f.word)}`;
    case "unsafe URL":
      return urlMessage(word);
    case "not allowed":
      return attributeMessage(word);
    case "one of":
      return choiceMessage(f.word as string[], f.path, rules);
    case "needs options":
      return "a select field needs options";
    case "nested too deeply":
      return `nested too deeply (more than ${MAX_DEPTH} levels)`;
    case "unreadable":
      return "could not be validated (a property getter or the selector check threw)";
    default:
      return f.message; // the reasons of unsafeRegexReason are worded already
  }
}

// ---- the exports --------------------------------------------------------------------------------------------------

function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; issue: RulesIssue } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, issue: issue("", `not valid JSON: ${e instanceof Error ? e.message : String(e)}`) };
  }
}

/**
 * Turns off zod's code generation for this copy of zod. zod probes for `new Function` before its first parse; under a
 * Content-Security-Policy without 'unsafe-eval' the probe fails quietly but the browser still reports a violation.
 * Browser bundles that parse rules (the debug panel, the playground) call this first; validation is the same.
 */
export function parseWithoutEval(): void {
  z.config({ jitless: true });
}

/** Validates a rules file (an object or JSON text) and fills in defaults; never throws. */
export function safeParseRules(json: unknown, options: ParseOptions = {}): SafeParseRulesResult {
  let issues: RulesIssue[];
  let data: unknown;
  try {
    if (typeof json === "string") {
      const parsed = parseJsonText(json);
      if (!parsed.ok) return { success: false, error: new RulesError([parsed.issue]) };
      json = parsed.value;
    }
    const result = rulesSchema().safeParse(json, { error: errorMessage, reportInput: true });
    issues = result.success ? [] : toRulesIssues(result.error.issues);
    data = result.data;
    // Beyond shape: what the runtime's own walk finds (its shape issues are zod's, worded above).
    const compiled = compileRules(json, { isValidSelector: options.isValidSelector ?? isValidSelectorSyntax });
    if (!compiled.ok) for (const f of compiled.issues) if (f.code) issues.push(issue(f.path, reword(f, json)));
  } catch (e) {
    // Only a hostile input (a throwing getter, a proxy) gets here: fail closed, still without throwing.
    issues = [issue("", `could not be validated: ${e instanceof Error ? e.message : String(e)}`)];
  }
  return issues.length ? { success: false, error: new RulesError(issues) } : { success: true, data: data as Rules };
}

/** Validates a rules file (an object or JSON text) and fills in defaults; throws `RulesError` listing every problem. */
export function parseRules(json: unknown, options?: ParseOptions): Rules {
  const result = safeParseRules(json, options);
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * The JSON Schema (draft-07, which VS Code supports best) of the rules file as authors write it: defaults are
 * optional. A function rather than a constant so that importing segmint never builds the schema; the build writes
 * its result to dist/segmint.schema.json and `segmint schema` prints it.
 */
export function rulesJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(rulesSchema(), {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      // Conditions are z.custom (so zod passes them through untouched); describe them with a shared definition.
      if (ctx.zodSchema._zod.def.type === "custom") ctx.jsonSchema.$ref = "#/definitions/condition";
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = tidy(generated) as Record<string, unknown>;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: "segmint rules",
    ...rest,
    description: "Segments, metrics and experiences for segmint (segmint.rules.json). Check a file with `npx segmint validate`.",
    definitions: conditionDefinitions(),
  };
}

/** Drops the `allOf: [{ $ref }]` zod wraps around a described condition, which already carries the same `$ref`. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!isObj(node)) return node;
  const out: Dict = {};
  for (const [key, value] of Object.entries(node)) out[key] = tidy(value);
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObj(allOf[0]) && allOf[0].$ref === out.$ref) delete out.allOf;
  return out;
}

function conditionDefinitions(): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
  const conditions = { type: "array", items: ref("condition") };
  const scalar = { type: ["string", "number", "boolean", "null"] };
  const any = {};
  const op = (description: string, schema: object = any) => ({ ...schema, description });
  return {
    condition: {
      type: "object",
      description: 'A MongoDB-style condition with GrowthBook\'s operators: { "path.to.value": value or { "$operator": argument } }.',
      properties: {
        $and: op("All of these conditions.", conditions),
        $or: op("Any of these conditions.", conditions),
        $nor: op("None of these conditions.", conditions),
        $not: op("Not this condition.", ref("condition")),
      },
      patternProperties: { "^[^$]": ref("value") },
      additionalProperties: false,
    },
    value: {
      description: "A value to compare with, or operators (an object whose keys all start with $).",
      if: { type: "object", propertyNames: { pattern: "^\\$" }, minProperties: 1 },
      then: ref("operators"),
    },
    operators: {
      type: "object",
      additionalProperties: false,
      properties: {
        $eq: op("Equal to.", scalar), $ne: op("Not equal to.", scalar),
        $lt: op("Less than.", { type: ["number", "string"] }), $lte: op("At most.", { type: ["number", "string"] }),
        $gt: op("Greater than.", { type: ["number", "string"] }), $gte: op("At least.", { type: ["number", "string"] }),
        $in: op("One of these values (any element, for a list).", { type: "array" }),
        $nin: op("None of these values.", { type: "array" }),
        $ini: op("One of these values, ignoring case.", { type: "array" }),
        $nini: op("None of these values, ignoring case.", { type: "array" }),
        $all: op("A list containing all of these.", { type: "array" }),
        $alli: op("A list containing all of these, ignoring case.", { type: "array" }),
        $elemMatch: op("A list with an element matching this.", { type: "object" }),
        $size: op("A list of this length (or matching these operators).", { type: ["integer", "object"] }),
        $exists: op("Whether the value is present.", { type: "boolean" }),
        $type: op("The value's type.", { enum: ["string", "number", "boolean", "array", "object", "null", "undefined"] }),
        $regex: op("Matches this regular expression (no nested quantifiers or backreferences).", { type: "string" }),
        $regexi: op("Matches this regular expression, ignoring case.", { type: "string" }),
        $not: op("Does not match this value or these operators.", ref("value")),
        $veq: op("Version equal to, e.g. \"2.1.0\".", { type: ["string", "number"] }),
        $vne: op("Version not equal to.", { type: ["string", "number"] }),
        $vgt: op("Version greater than.", { type: ["string", "number"] }),
        $vgte: op("Version at least.", { type: ["string", "number"] }),
        $vlt: op("Version less than.", { type: ["string", "number"] }),
        $vlte: op("Version at most.", { type: ["string", "number"] }),
        $inGroup: op("In this named group (top-level groups).", { type: "string" }),
        $notInGroup: op("Not in this named group.", { type: "string" }),
      },
    },
  };
}
