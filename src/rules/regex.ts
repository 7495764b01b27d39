// The one regex safety check, shared by `parseRules` (which turns a reason into an error) and the evaluator (which
// treats an unsafe pattern like an invalid one: the test is false). Regexes run on the host page's main thread, so a
// pattern that backtracks catastrophically would freeze the page; we reject the shapes that cause it and bound input.

/**
 * Regex inputs are cut to this many characters before testing (the ReDoS bound). The shape check refuses exponential
 * patterns and runs of overlapping unbounded quantifiers beyond cubic, so the worst it accepts — two in an unanchored
 * pattern (`.*a.*b`, `\w+\w+x`) or three in an anchored one (`^.*a.*a.*b`) — is cubic in the input length. Measured
 * (Node 20, crafted all-`a` input, a busy 2-core machine), native code: 2,048 characters ~4 s, 512 ~45-80 ms, 256
 * ~10 ms; but V8 interprets a regex on its first run (every page load) and that is 2-6× slower: 512 ~170-400 ms, 256
 * ~20-50 ms. So 256 keeps the worst accepted pattern under 100 ms from the first run, with room for slower phones;
 * paths, titles, search terms and most page URLs still fit whole (match a long URL's query through `page.query`).
 * A row in test/cases/conditions.json and a timing test in test/rules/condition.test.ts pin it.
 */
export const MAX_REGEX_INPUT = 256;

/** Longer patterns are refused: nobody reviews a 500-character regex, and analysis stays cheap. */
const MAX_PATTERN_LENGTH = 500;

/** Patterns the cache keeps at most; a rules file needs far fewer, so it only starts over under abuse. */
const MAX_CACHED = 256;

// ---- the shape check --------------------------------------------------------------------------------------------
// Character sets are kept as regex source ("a|\\d|[x-z]", the atoms a branch can start with) and compared by asking
// the regex engine itself, so classes, escapes and case folding need no model of their own.

/** Whether a set may match a character beyond ASCII: it holds `.`, `[^…]`, `\S`, `\u…` or such a literal. */
const wide = (set: string): boolean => /\\[DSWsuxpP]|\[\^|(?:^|\|)\.|[^\0-\x7f]/.test(set);

/**
 * Whether two sets can match the same character (in either case, as the same pattern runs as $regex and $regexi).
 * Beyond ASCII, only whether both could reach there at all. A set is an alternation of one-character atoms, so within
 * ASCII both match at some position of the ASCII table when they share a character.
 */
const overlap = (a: string, b: string): boolean =>
  (wide(a) && wide(b)) || new RegExp(`(?=${a})(?:${b})`, "is").test(String.fromCharCode(...Array(128).keys()));

/**
 * What a group (or an atom) means to the one around it: the characters it can start with ("" when it matches none:
 * an assertion, a lookaround), how often it matches, whether somewhere inside an atom repeats a variable number of
 * times, and whether somewhere inside an alternation has branches that can start alike (or be empty).
 */
type Unit = [first: string, min: number, max: number, repeats: boolean, ambiguous: boolean];

/**
 * Throws why a valid pattern could backtrack catastrophically (a string), if it could. Refused: a group repeated
 * more than once that holds a variable repeat (`(a+)+`) or an ambiguous alternation (`(a|aa)+`), backreferences, and
 * more than two overlapping unbounded quantifiers in a row (`.*a.*a.*b`; an unanchored start counts as one), as
 * each multiplies the backtracking by the input length.
 */
function checkShape(src: string): void {
  const unanchored = src[0] === "^" ? 0 : 1;
  // The current run of overlapping unbounded quantifiers: its length, and the characters the last one matches.
  let chain = unanchored;
  let chainSet = "";
  let end = 0; // where the last token read ends
  // One token at a time, each with its quantifier and what kind it is: an assertion (`^`, `$`, `\b`), an escape (a
  // backreference?), a class, a group opening (a lookaround?), the end of a branch (`|`, `)`), or one character.
  const tokens = src.matchAll(
    /((\\[bB]|[$^])|\\(?:(k<[^>]*>|[1-9])|c[A-Za-z]|x[\da-fA-F]{2}|u[\da-fA-F]{4}|[^])|\[(?:\\[^]|[^\\\]])*\]|\((?:\?(?:(<?[=!])|:|<[^>]*>))?|([|)])|[^])(?:([*+?]|\{(\d+)(,?)(\d*)\})\??)?/g,
  );

  /** Reads a group from after its `(` up to and including its `)` and quantifier (or the whole pattern). */
  const group = (start: number, look: boolean): Unit => {
    const firsts: string[] = [];
    let first = ""; // what the branch being read can start with…
    let open = true; // …which grows while all its atoms so far may match nothing
    let empty = false;
    let repeats = false;
    let ambiguous = false;
    // Each branch continues the chain from where the group began; after the group, the longest one a branch left.
    const before = [chain, chainSet] as const;
    let after = before;
    // The group's own quantifier, from its `)`; the whole pattern has none.
    let bounds: [min: number, max: number] = [1, 1];
    for (const m of tokens) {
      const [t, token, assertion, backreference, lookaround, branchEnd, quantifier, low, comma, high] = m;
      end = m.index! + t.length;
      const least = low ? +low : !quantifier || quantifier === "+" ? 1 : 0;
      const most = !quantifier || quantifier === "?" ? 1 : !low || (comma && !high) ? Infinity : comma ? +high! : least;
      if (branchEnd) {
        firsts.push(first);
        empty ||= open;
        first = "";
        open = true;
        if (chain >= after[0]) after = [chain, chainSet];
        [chain, chainSet] = before;
        if (token === "|") continue;
        bounds = [least, most];
        break;
      }
      if (backreference) throw "backreferences are not allowed";
      const [set, min, max, inner, alike]: Unit =
        token![0] === "(" ? group(m.index!, !!lookaround) : [assertion ? "" : token!, least, most, most > least, false];
      repeats ||= inner;
      ambiguous ||= alike;
      if (!set) continue;
      if (open) {
        first += (first && "|") + set;
        open = !min;
      }
      if (max === Infinity) {
        chain = (chainSet && overlap(chainSet, set) ? chain : unanchored) + 1;
        chainSet = set;
        if (chain > 3) {
          throw `too many overlapping repeats in \`${src.slice(0, end)}\` (an unanchored start counts as one) can take seconds to run`;
        }
      } else if (min && chainSet && !overlap(chainSet, set)) {
        // A required character the last repeat cannot match ends the chain (`[^@]+@[^@]+`).
        chain = unanchored;
        chainSet = "";
      }
    }
    const [min, max] = bounds;
    if (!look) [chain, chainSet] = after; // a lookaround consumes nothing
    ambiguous ||= firsts.length > 1 && (empty || firsts.some((a, i) => firsts.slice(i + 1).some((b) => overlap(a, b))));
    if (max > 1 && (repeats || ambiguous)) {
      const text = `\`${src.slice(start, end)}\``;
      const shape = repeats ? "nested quantifier" : "alternation with overlapping branches under a quantifier";
      throw `${shape} ${text} can backtrack catastrophically`;
    }
    return [look ? "" : firsts.join("|"), empty ? 0 : min, max, repeats || max > min, ambiguous];
  };
  group(0, false);
}

/** Null when `pattern` is safe to run on the main thread, else a message saying why it is refused. */
export function unsafeRegexReason(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  let valid = false;
  try {
    new RegExp(pattern);
    valid = true;
    checkShape(pattern);
    return null;
  } catch (reason) {
    if (typeof reason === "string") return reason;
    // V8: "Invalid regular expression: /(/: Unterminated group" — keep the part after the pattern.
    if (!valid) return `invalid regular expression: ${(reason as Error).message.split(": ").pop()}`;
    return "pattern could not be analysed for safety"; // syntax the scanner does not model: refuse rather than guess
  }
}

let cache: Map<string, RegExp | null> | undefined;

/** A compiled regex for a safe, valid pattern (cached, bounded), or null for an invalid or unsafe one. */
export function cachedRegex(pattern: unknown, flags: string): RegExp | null {
  // Shared instances must be stateless: `g` and `y` would make `test()` depend on `lastIndex`.
  if (typeof pattern !== "string" || !/^[imsu]*$/.test(flags)) return null;
  const key = `${flags}/${pattern}`;
  let regex = (cache ??= new Map()).get(key);
  if (regex === undefined) {
    try {
      regex = unsafeRegexReason(pattern) ? null : new RegExp(pattern, flags);
    } catch {
      regex = null; // valid without flags but not with them (`u` is stricter)
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, regex);
  }
  return regex;
}
