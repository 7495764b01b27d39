// The one regex safety check, shared by `parseRules` (which turns a reason into an error) and the evaluator (which
// treats an unsafe pattern like an invalid one: the test is false). Regexes run on the host page's main thread, so a
// pattern that backtracks catastrophically would freeze the page; we reject the shapes that cause it and bound input.

/**
 * Regex inputs are cut to this many characters before testing (the ReDoS bound). The shape check below refuses the
 * exponential patterns; this bound keeps the ordinary quadratic backtracking of an unanchored search small (2,048²
 * is ~4 M steps, a few ms), while page URLs, titles and search terms fit within it. Known limit: two unbounded
 * quantifiers over the same characters (`.*a.*b`, `\w+\w+x`) are cubic and still take seconds on a crafted 2 KB input.
 */
export const MAX_REGEX_INPUT = 2048;

/** Longer patterns are refused: nobody reviews a 500-character regex, and analysis stays cheap. */
const MAX_PATTERN_LENGTH = 500;

/** Compiled regexes kept at most; a rules file has far fewer, so eviction only happens under abuse. */
const MAX_CACHED = 256;

// ---- a tiny regex syntax tree: just enough to see quantifiers, groups and the first characters of branches ---------

/** The characters an atom can match: 128 ASCII bits plus "something beyond ASCII". Letters are always case-folded. */
interface CharSet {
  bits: number[];
  other: boolean;
}

interface Quant {
  min: number;
  max: number;
}

type RNode =
  | { kind: "char"; set: CharSet; q: Quant; start: number; end: number }
  | { kind: "group"; alts: RNode[][]; look: boolean; q: Quant; start: number; end: number }
  | { kind: "assert"; q: Quant; start: number; end: number };

/** The quantifier of an atom without one. */
function once(): Quant {
  return { min: 1, max: 1 };
}

function emptySet(): CharSet {
  return { bits: [0, 0, 0, 0], other: false };
}

function anySet(): CharSet {
  return { bits: [-1, -1, -1, -1], other: true };
}

function addCode(set: CharSet, code: number): void {
  if (code >= 128) {
    set.other = true;
    return;
  }
  set.bits[code >> 5]! |= 1 << (code & 31);
  // Fold case both ways: the same pattern runs with and without the `i` flag ($regex / $regexi).
  if (code >= 65 && code <= 90) addCode(set, code + 32);
  else if (code >= 97 && code <= 122) set.bits[(code - 32) >> 5]! |= 1 << ((code - 32) & 31);
}

function addRange(set: CharSet, from: number, to: number): void {
  for (let c = from; c <= Math.min(to, 127); c++) addCode(set, c);
  if (to >= 128) set.other = true;
}

function union(into: CharSet, from: CharSet): void {
  for (let i = 0; i < 4; i++) into.bits[i]! |= from.bits[i]!;
  into.other ||= from.other;
}

function invert(set: CharSet): CharSet {
  // The complement of a class always contains some non-ASCII character.
  return { bits: set.bits.map((b) => ~b), other: true };
}

function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.other && b.other) return true;
  return a.bits.some((bits, i) => (bits & b.bits[i]!) !== 0);
}

/** The set for a class escape (`\d`, `\w`, `\s` and their negations), or null for other escapes. */
function classEscape(letter: string): CharSet | null {
  const set = emptySet();
  const lower = letter.toLowerCase();
  if (lower === "d") addRange(set, 48, 57);
  else if (lower === "w") {
    addRange(set, 48, 57);
    addRange(set, 97, 122);
    addCode(set, 95);
  } else if (lower === "s") {
    for (const c of [9, 10, 11, 12, 13, 32]) addCode(set, c);
    set.other = true;
  } else return null;
  return letter === lower ? set : invert(set);
}

/** The code of a one-character escape (`\n`, `\.`), or -1 for escapes this scanner widens to "anything". */
function escapedCode(c: string): number {
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12, "0": 0 };
  if (Object.prototype.hasOwnProperty.call(simple, c)) return simple[c]!;
  return /^[pPuxc]$/.test(c) || c === "" ? -1 : c.charCodeAt(0);
}

/** The set of one character code; -1 stands for "could be anything". */
function codeSet(code: number): CharSet {
  if (code < 0) return anySet();
  const set = emptySet();
  addCode(set, code);
  return set;
}

/** A recursive-descent reader over the pattern (already known to be a valid JavaScript regex). */
class Scanner {
  pos = 0;
  /** Set when the scanner meets something refused outright (a backreference). */
  refused: string | null = null;

  constructor(readonly src: string) {}

  /** Alternatives up to the closing `)` of the current group, or the end. */
  alternatives(): RNode[][] {
    const alts: RNode[][] = [[]];
    while (this.pos < this.src.length && this.src[this.pos] !== ")") {
      if (this.src[this.pos] === "|") {
        this.pos++;
        alts.push([]);
      } else {
        alts[alts.length - 1]!.push(this.quantified(this.atom()));
      }
    }
    return alts;
  }

  private atom(): RNode {
    const start = this.pos;
    const c = this.src[this.pos++]!;
    if (c === "(") return this.group(start);
    if (c === "[") return { kind: "char", set: this.charClass(), q: once(), start, end: this.pos };
    if (c === ".") return { kind: "char", set: anySet(), q: once(), start, end: this.pos };
    if (c === "^" || c === "$") return { kind: "assert", q: once(), start, end: this.pos };
    if (c === "\\") return this.escape(start);
    const set = emptySet();
    addCode(set, c.charCodeAt(0));
    return { kind: "char", set, q: once(), start, end: this.pos };
  }

  private group(start: number): RNode {
    const head = /^\?(?:[:=!]|<[=!]|<[^>]*>)/.exec(this.src.slice(this.pos));
    const look = head !== null && /^\?<?[=!]/.test(head[0]);
    this.pos += head ? head[0].length : 0;
    const alts = this.alternatives();
    this.pos++; // the closing ")"
    return { kind: "group", alts, look, q: once(), start, end: this.pos };
  }

  private escape(start: number): RNode {
    const c = this.src[this.pos++] ?? "";
    if (/[1-9]/.test(c) || (c === "k" && this.src[this.pos] === "<")) this.refused = "backreferences are not allowed";
    if (c === "b" || c === "B") return { kind: "assert", q: once(), start, end: this.pos };
    const set = classEscape(c) ?? this.escapedChar(c);
    return { kind: "char", set, q: once(), start, end: this.pos };
  }

  /** A single escaped character; unusual escapes (`\p{…}`, `\u…`, `\x…`, `\c…`) are widened to "anything". */
  private escapedChar(c: string): CharSet {
    return codeSet(escapedCode(c));
  }

  private charClass(): CharSet {
    const negate = this.src[this.pos] === "^";
    if (negate) this.pos++;
    const set = emptySet();
    let prev = -1;
    while (this.pos < this.src.length && this.src[this.pos] !== "]") {
      const c = this.src[this.pos++]!;
      if (c === "-" && prev >= 0 && this.src[this.pos] !== "]") {
        const to = this.classChar();
        if (to >= 0) addRange(set, prev, to);
        prev = -1;
        continue;
      }
      this.pos--;
      prev = this.classChar(set);
    }
    this.pos++; // the closing "]"
    return negate ? invert(set) : set;
  }

  /** Reads one class member into `set` (when given); returns its code, or -1 when it is not one character. */
  private classChar(set?: CharSet): number {
    const c = this.src[this.pos++]!;
    if (c !== "\\") {
      if (set) addCode(set, c.charCodeAt(0));
      return c.charCodeAt(0);
    }
    const e = this.src[this.pos++] ?? "";
    // Inside a class `\b` is a backspace, not a word boundary.
    const code = e === "b" ? 8 : escapedCode(e);
    const cls = classEscape(e);
    if (set) union(set, cls ?? codeSet(code));
    return cls ? -1 : code;
  }

  private quantified(node: RNode): RNode {
    const m = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(this.src.slice(this.pos));
    if (!m) return node;
    this.pos += m[0].length;
    const min = m[1] === "+" ? 1 : m[1] ? 0 : Number(m[2]);
    const max = m[1] === "?" ? 1 : m[1] ? Infinity : m[3] ? (m[4] ? Number(m[4]) : Infinity) : min;
    return { ...node, q: { min, max }, end: this.pos };
  }
}

// ---- the checks -------------------------------------------------------------------------------------------------

/** A node that may repeat a variable number of times (`*`, `+`, `?`, `{1,3}`), at any depth. */
function hasVariableRepeat(alts: RNode[][]): boolean {
  return alts.some((seq) =>
    seq.some((n) => n.q.max > n.q.min || (n.kind === "group" && hasVariableRepeat(n.alts))),
  );
}

/** The characters a sequence can start with, and whether it can match the empty string. */
function firstChars(seq: RNode[]): { set: CharSet; nullable: boolean } {
  const set = emptySet();
  for (const n of seq) {
    if (n.kind === "assert" || (n.kind === "group" && n.look)) continue;
    let nullable = n.q.min === 0;
    if (n.kind === "char") union(set, n.set);
    else {
      for (const alt of n.alts) {
        const first = firstChars(alt);
        union(set, first.set);
        nullable ||= first.nullable;
      }
    }
    if (!nullable) return { set, nullable: false };
  }
  return { set, nullable: true };
}

/** An alternation, at any depth, where two branches can start alike (or one can be empty): `(a|aa)`, `(\w|\d)`. */
function overlappingAlternation(alts: RNode[][]): boolean {
  if (alts.length > 1) {
    const firsts = alts.map(firstChars);
    for (let i = 0; i < firsts.length; i++) {
      if (firsts[i]!.nullable) return true;
      for (let j = i + 1; j < firsts.length; j++) if (overlaps(firsts[i]!.set, firsts[j]!.set)) return true;
    }
  }
  return alts.some((seq) => seq.some((n) => n.kind === "group" && overlappingAlternation(n.alts)));
}

/** Why the first quantified group that can match one input in exponentially many ways is refused, or null. */
function checkNodes(alts: RNode[][], src: string): string | null {
  for (const seq of alts) {
    for (const n of seq) {
      if (n.kind !== "group") continue;
      const text = src.slice(n.start, n.end);
      if (n.q.max > 1 && hasVariableRepeat(n.alts)) {
        return `nested quantifier \`${text}\` can backtrack catastrophically`;
      }
      if (n.q.max > 1 && overlappingAlternation(n.alts)) {
        return `alternation with overlapping branches under a quantifier \`${text}\` can backtrack catastrophically`;
      }
      const inner = checkNodes(n.alts, src);
      if (inner) return inner;
    }
  }
  return null;
}

function invalidReason(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (e) {
    // V8: "Invalid regular expression: /(/: Unterminated group" — keep the part after the pattern.
    const message = e instanceof Error ? e.message : String(e);
    return `invalid regular expression: ${message.slice(message.lastIndexOf(": ") + 2) || message}`;
  }
}

/** Null when `pattern` is safe to run on the main thread, else a message saying why it is refused. */
export function unsafeRegexReason(pattern: string): string | null {
  if (typeof pattern !== "string") return "a regular expression must be a string";
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  const invalid = invalidReason(pattern);
  if (invalid) return invalid;
  try {
    const scanner = new Scanner(pattern);
    const tree = scanner.alternatives();
    return scanner.refused ?? checkNodes(tree, pattern);
  } catch {
    // The scanner met syntax it does not model: refuse rather than run something unchecked.
    return "pattern could not be analysed for safety";
  }
}

// ---- the cache --------------------------------------------------------------------------------------------------

let cache: Map<string, RegExp | null> | undefined;

/** A compiled regex for a safe, valid pattern (cached, bounded), or null for an invalid or unsafe one. */
export function cachedRegex(pattern: string, flags: string): RegExp | null {
  // Shared instances must be stateless: `g` and `y` would make `test()` depend on `lastIndex`.
  if (typeof pattern !== "string" || typeof flags !== "string" || !/^[imsu]*$/.test(flags)) return null;
  const key = `${flags}/${pattern}`;
  cache ??= new Map();
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const regex = unsafeRegexReason(pattern) === null ? compile(pattern, flags) : null;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, regex);
  return regex;
}

function compile(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null; // valid without flags but not with them (e.g. `u` is stricter)
  }
}
