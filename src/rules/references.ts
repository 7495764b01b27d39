// The checks of a rules file beyond shape: conditions (operators, regexes, groups, segment references), URLs and
// attributes, `__proto__` keys and nesting depth. The walker in compile.ts calls them while it checks the shape, and
// both validators read what they find: `compileRules` reports each finding by its bare code (the script tag carries
// these bytes), `parseRules` rewords it for people by its `code` and `word` (schema.ts).
import type { RulesIssue } from "./types";
import { OPERATORS } from "./operators";
import { unsafeRegexReason } from "./regex";

/** A problem in a rules file; with a `code`, one beyond shape, which `parseRules` rewords by it (and `word`). */
export interface Finding extends RulesIssue {
  code?: string | undefined;
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
/**
 * `YYYY-MM-DD`, optionally with a time (seconds and their fraction optional) and an offset, each field in its range.
 * The calendar is not checked: a day the month does not have (`2026-02-30`) is one a browser may roll over into the
 * next month or read as no date at all (then `start` does not hold the experience back, and `end` never comes).
 */
export const ISO_DATE =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?$/;
/**
 * An attribute name a change may set, in any case: a valid one (anything else would make setAttribute throw), but
 * not an event handler, `style` or `srcdoc`, which run or restyle anything.
 */
export const ALLOWED_ATTRIBUTE = /^(?!on|style$|srcdoc$)[a-z_:][\w:.-]*$/i;
/** Attributes whose value is a URL a browser may follow, submit to or load a document or resource from, in any case. */
export const URL_ATTRIBUTE = /^(?:href|src|action|formaction|xlink:href|data|poster|cite|background|codebase)$/i;

/** The metric kinds, each the key that names the metric's source (compile.ts has its table of them, by MetricKind). */
export const METRIC_KINDS = ["count", "sum", "avg", "min", "max", "distinct", "first", "last", "daysSince"] as const;

/**
 * Where a condition walk is: in a value (or in a condition on an event), in a condition on the context, or in a
 * `segments` test of one, where strings are segment ids.
 */
export type Scope = typeof VALUE | typeof CONTEXT | typeof SEGMENTS;
export const VALUE = 0;
export const CONTEXT = 1;
export const SEGMENTS = 2;

/** A plain object: not null, not a list. */
export const isObj = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `base.key`, `base["odd key"]` when the key is not an identifier, or `base[index]`; the root is "". */
export const join = (base: string, key: string | number): string =>
  typeof key === "number"
    ? `${base}[${key}]`
    : /^[a-z_$][\w$]*$/i.test(key)
      ? (base ? `${base}.${key}` : key)
      : `${base}[${JSON.stringify(key)}]`;

/** An issue at `path` (the root, written `$`, when empty). */
export const issue = (path: string, message: string): RulesIssue => ({ path: path || "$", message });

/**
 * Records a problem at `path`: without a `code`, a shape issue (the zod schema reports it too, so `parseRules` skips
 * it); with one, a problem beyond shape, whose runtime message is that bare code and whose `word` `parseRules` quotes.
 * Returns undefined, what an invalid value becomes.
 */
export function found(w: Walk, path: string, code?: string, word?: unknown): undefined {
  w.issues.push({ path: path || "$", message: code ?? "invalid", code, word });
  return undefined;
}

/**
 * Null when `url` may go into `href`/`src`/`action`: http(s), mailto:, tel: or relative. Entities, whitespace and
 * control characters before the first `:`, `/`, `?` or `#` are refused too: browsers ignore tabs and newlines inside a
 * scheme (`java\tscript:`), and markup may decode `&colon;` on the way.
 */
export const unsafeUrlReason = (url: string): string | null =>
  /^(?:(?:https?|mailto|tel):|[^&\s\x00-\x1f\x7f:/?#]*(?:[/?#]|$))/i.test(url) ? null : "unsafe URL";

/**
 * Records problems in a condition, or in any value inside one: unknown operators, unsafe regexes, unknown groups,
 * `__proto__` keys (JSON.parse makes them own keys, and copying one would replace a prototype), nesting past MAX_DEPTH
 * (a cyclic object must not overflow the stack); in a `segments` test of a condition on the context, every string
 * that is not an earlier segment's id, wherever it stands (only regex and group arguments are not ids). Where an
 * operator stands and what its argument is are not checked: a misplaced operator or a wrong argument makes its test
 * false (`$and` with an object, say).
 */
export function checkCondition(c: unknown, path: string, w: Walk, scope: Scope, depth = 0): void {
  if (scope === SEGMENTS && typeof c === "string" && !w.segments.includes(c)) found(w, path, "unknown segment", c);
  if (typeof c !== "object" || c === null) return;
  if (depth > MAX_DEPTH) return found(w, path, "nested too deeply");
  for (const [key, arg] of Object.entries(c)) {
    const at = join(path, Array.isArray(c) ? +key : key);
    if (key === "__proto__") found(w, at, "not allowed", key);
    else if (key[0] === "$" && !OPERATORS.includes(key)) found(w, at, "unknown operator", key);
    else if (key.startsWith("$regex")) {
      const reason = typeof arg === "string" && unsafeRegexReason(arg); // a regex that is not a string matches nothing
      if (reason) found(w, at, reason);
    } else if (/^\$(?:in|notIn)Group$/.test(key)) {
      if (!w.groups.includes(arg as string)) found(w, at, "unknown group", arg);
    } else {
      // Where a condition's own operators ($and, $or, $nor, $not) lead, conditions on the same document follow; the
      // path `segments` leads to a test of segment ids, any other to values (or to conditions on a list's elements).
      const same = Array.isArray(c) || key[0] === "$";
      checkCondition(arg, at, w, scope !== CONTEXT || same ? scope : key === "segments" ? SEGMENTS : VALUE, depth + 1);
    }
  }
}
