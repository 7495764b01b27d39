// The checks of a rules file beyond shape: conditions (operators, regexes, groups), references to segments and
// fields, selectors, URLs and attributes, `__proto__` keys and nesting depth. The walker in compile.ts calls them
// while it checks the shape, and both validators read what they find: `compileRules` prints each finding tersely
// (the script tag carries these bytes), `parseRules` rewords it for people by its `code` (schema.ts).
import type { RulesIssue } from "./types";
import { OPERATORS } from "./operators";
import { unsafeRegexReason } from "./regex";

type Dict = Record<string, unknown>;

/** A problem in a rules file; with a `code`, one beyond shape, which `parseRules` rewords by it (and `word`). */
export interface Finding extends RulesIssue {
  code?: string;
  word?: unknown;
}

/** One walk of a rules file: what it has found so far, and the names later parts may refer to. */
export interface Walk {
  /** Shape issues (what the zod schema reports too) and problems beyond shape (with a `code`). */
  issues: Finding[];
  isValidSelector: (selector: string) => boolean;
  groups: string[];
  /** Segment ids seen so far: a segment may only test earlier ones. */
  segments: string[];
  fields: string[];
}

// Past this depth a condition is reported rather than walked: JSON this deep is a mistake, and a cyclic object (not
// JSON, but callers may pass anything) must not overflow the stack. The rest of a file is only as deep as its format.
export const MAX_DEPTH = 64;

/** Segment, experience and variant ids: `sm-<id>` must be a CSS class and an id must fit a URL. */
export const ID_PATTERN = /^[a-z][a-z0-9_-]*$/;
/** A variant id: "control" is what holdout visitors get. */
export const VARIANT_ID_PATTERN = /^(?!control$)[a-z][a-z0-9_-]*$/;
/** Metric and profiling field names, read back as `metrics.x` / `traits.x`; never an Object.prototype member. */
export const NAME_PATTERN = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_]\w*$/;
/** Group names and interest tags: keys of plain objects at run time. */
export const KEY_PATTERN = /^(?!(?:__proto__|constructor|prototype)$)\w[\w-]*$/;
/** The `"type.property"` source of a sum, avg, min, max, distinct, first or last metric. */
export const PROPERTY_PATH = /^[^.]+(?:\.[^.]+)+$/;

/** The metric kinds, each the key that names the metric's source. */
export const METRIC_KINDS = ["count", "sum", "avg", "min", "max", "distinct", "first", "last", "daysSince"] as const;

// `YYYY-MM-DD`, optionally with a time (minutes, seconds and fractions optional) and an offset.
const ISO_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(\d\d)(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?$/;
// Attributes whose value is a URL a browser may follow, submit to or load a document from.
const URL_ATTRIBUTE = /^(?:href|src|action|formaction|xlink:href|data)$/;
/** A valid attribute name (lowercased): anything else would make setAttribute throw. */
export const ATTRIBUTE_NAME = /^[a-z_:][\w:.-]*$/;
// Event handlers, inline styles and srcdoc run or restyle anything.
const REFUSED_ATTRIBUTE = /^(?:on|style$|srcdoc$)/;
// Operators whose argument is not a segment id, in a `segments` test.
const NOT_SEGMENT_ARGUMENT = /^\$(?:regexi?|size|type|exists|v[a-z]+|inGroup|notInGroup)$/;

export function isObj(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `base.key`, `base["odd key"]` when the key is not an identifier, or `base[index]`; the root is "". */
export function join(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return /^[a-z_$][\w$]*$/i.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;
}

/** An issue at `path` (the root, written `$`, when empty). */
export function issue(path: string, message: string): RulesIssue {
  return { path: path || "$", message };
}

/** Records a problem beyond shape; its terse message (the runtime's) is the code and the word. */
export function found(w: Walk, path: string, code: string, word?: unknown): void {
  w.issues.push({ ...issue(path, word === undefined ? code : `${code} ${JSON.stringify(word)}`), code, word });
}

/** Calls `visit` for each entry of an object or list, with the entry's path. */
function eachEntry(value: object, path: string, visit: (key: string, item: unknown, at: string) => void): void {
  for (const [key, item] of Object.entries(value)) visit(key, item, join(path, Array.isArray(value) ? +key : key));
}

// ---- single values ------------------------------------------------------------------------------------------

/** Whether `s` is a calendar date `YYYY-MM-DD` or an ISO date-time (`2026-12-01T09:00`, `…Z`, `…+02:00`). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  // Date.UTC rolls an impossible day (02-30) over into the next month.
  return !!m && new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).getUTCDate() === +m[3]!;
}

/**
 * Null when `url` may go into `href`/`src`/`action`: http(s), mailto:, tel: or relative. Entities, whitespace and
 * control characters before the first `:`, `/`, `?` or `#` are refused too: browsers ignore tabs and newlines inside a
 * scheme (`java\tscript:`), and markup may decode `&colon;` on the way.
 */
export function unsafeUrlReason(url: string): string | null {
  const [, head, colon] = /^([^:/?#]*)(:?)/.exec(url)!;
  return /[&\s\x00-\x1f\x7f]/.test(head!) || (colon && !/^(?:https?|mailto|tel)$/i.test(head!))
    ? "unsafe URL"
    : null;
}

/** Records what is refused in a change's `attributes`: names (event handlers, style, srcdoc, invalid) and URLs. */
export function checkAttributes(attributes: Dict, path: string, w: Walk): void {
  eachEntry(attributes, path, (name, value, at) => {
    const lower = name.toLowerCase();
    if (!ATTRIBUTE_NAME.test(lower) || REFUSED_ATTRIBUTE.test(lower)) found(w, at, "not allowed", name);
    else if (URL_ATTRIBUTE.test(lower) && typeof value === "string" && unsafeUrlReason(value)) found(w, at, "unsafe URL", value);
  });
}

// ---- conditions ---------------------------------------------------------------------------------------------

/**
 * Records problems in a condition, or in any value inside one: unknown operators, `$and`/`$or`/`$nor` that are not
 * lists, unsafe regexes, unknown groups, `__proto__` keys (JSON.parse makes them own keys, and copying one would replace
 * a prototype), nesting past MAX_DEPTH (a cyclic object must not overflow the stack); in a condition on the context
 * (`refs`), segment ids in a `segments` test that are not earlier segments. Where an operator stands is not checked:
 * a misplaced one makes its test false.
 */
export function checkCondition(c: unknown, path: string, w: Walk, refs = false, depth = 0): void {
  if (typeof c !== "object" || c === null) return;
  if (depth > MAX_DEPTH) return found(w, path, "nested too deeply");
  eachEntry(c, path, (key, arg, at) => {
    if (key === "__proto__") found(w, at, "not allowed", key);
    else if (key[0] === "$" && !OPERATORS.includes(key)) found(w, at, "unknown operator", key);
    else if (/^\$(?:and|or|nor)$/.test(key) && !Array.isArray(arg)) found(w, at, "expected a list");
    else if (key.startsWith("$regex")) {
      const reason = typeof arg === "string" && unsafeRegexReason(arg); // a regex that is not a string matches nothing
      if (reason) found(w, at, reason);
    } else if (/^\$(?:in|notIn)Group$/.test(key)) {
      if (!w.groups.includes(arg as string)) found(w, at, "unknown group", arg);
    } else {
      if (refs && key === "segments") checkSegmentNames(arg, at, w);
      // Where a condition's own operators ($and, $or, $nor, $not) lead, conditions on the same document follow; a
      // path leads to values, or to conditions on a list's elements ($elemMatch), not on the context.
      checkCondition(arg, at, w, refs && (Array.isArray(c) || key[0] === "$"), depth + 1);
    }
  });
}

/** Records segment ids in a `segments` test that are not earlier segments: every string, except operator arguments. */
function checkSegmentNames(value: unknown, path: string, w: Walk, depth = 0): void {
  if (typeof value === "string") {
    if (!w.segments.includes(value)) found(w, path, "unknown segment", value);
  } else if (typeof value === "object" && value !== null && depth < MAX_DEPTH) {
    eachEntry(value, path, (key, item, at) => NOT_SEGMENT_ARGUMENT.test(key) || checkSegmentNames(item, at, w, depth + 1));
  }
}
