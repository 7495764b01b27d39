// ReDoS, as a property (issue 9): whatever `$regex` / `$regexi` pattern a rules file gets past `safeParseRules`,
// one evaluation of the condition on a hostile 10 KB string finishes in well under 200 ms — the shape check refuses
// what backtracks catastrophically and MAX_REGEX_INPUT bounds the rest. Bounded runs: patterns and inputs are random,
// the known-bad shapes are always tried.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evalCondition } from "../../src/rules/condition";
import { safeParseRules } from "../../src/rules/schema";

/** Generous: the accepted worst case is ~10-50 ms on a first (interpreted) run of a 256-character input. */
const BUDGET_MS = 200;
const INPUT_LENGTH = 10 * 1024;

// Regex-ish tokens: atoms that overlap each other, groups, alternation, every quantifier, anchors, lookarounds and
// a backreference, so that random joins hit nested and chained quantifiers often.
const TOKENS = [
  "a", "b", "x", "@", ".", "\\w", "\\d", "\\s", "\\S", "[a-z]", "[^@]", "[ab]",
  "(", "(?:", "(?=", "(?!", ")", "|", "*", "+", "?", "*?", "{2,}", "{1,5}", "{3}", "^", "$", "\\b", "\\1",
];

/** Shapes known to backtrack catastrophically, and near misses the shape check must get right either way. */
const KNOWN_BAD = [
  "(a+)+$", "(a+)+b", "(a*)*b", "(a|aa)+$", "(a|a)*b", "(.*a){12}", "^(\\w+\\s?)*$", "(\\d+)*$", "([a-zA-Z0-9]+)*$",
  "(x+x+)+y", "^(([a-z])+.)+[A-Z]([a-z])+$", ".*a.*a.*a.*b", "^.*a.*a.*a.*b", "\\w+\\w+\\w+x", "(a?){30}a{30}",
  "^(a+)+$", "(?:a+)+$", "(?:a|a?)+$", "(a|b|ab)*c", "^(.*?,){11}P", "(.*){1,32000}[bc]", "((a+)+)+$", "(\\w+)\\1",
  ".*.*=.*", "^[a-z]+@[a-z]+\\.[a-z]+$", "^(\\s*a)*$", "(a+){2,}$", "a*a*a*a*a*b", "^(.+)+$",
];

/** Hostile inputs: long runs of what the patterns repeat, with a character that makes the match fail at the end. */
const HOSTILE = ["a", "ab", "x", " a", "a@", "0", "a,"].flatMap((unit) => {
  const run = unit.repeat(Math.ceil(INPUT_LENGTH / unit.length)).slice(0, INPUT_LENGTH - 1);
  return [run + "!", run + "\n", "!" + run];
});

const pattern = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 16 }).map((parts) => parts.join(""));
const input = fc.string({ unit: fc.constantFrom("a", "b", "x", " ", "@", "0", "!", ",", "\n", "é"), minLength: INPUT_LENGTH, maxLength: INPUT_LENGTH });

/** The conditions of a rules file safeParseRules accepts with `patterns` as $regex and $regexi, or none. */
function acceptedConditions(patterns: string[]): Array<Record<string, unknown>> {
  const when = (p: string) => ({ $or: [{ "page.path": { $regex: p } }, { "page.title": { $regexi: p } }] });
  const file = { version: 1, segments: patterns.map((p, i) => ({ id: `s${i}`, when: when(p) })) };
  const parsed = safeParseRules(file);
  return parsed.success ? parsed.data.segments.map((s) => s.when as Record<string, unknown>) : [];
}

/** The slowest of evaluating `condition` once on each input, in ms. */
function slowest(condition: Record<string, unknown>, inputs: string[]): number {
  let worst = 0;
  for (const text of inputs) {
    const doc = { page: { path: text, title: text } };
    const start = performance.now();
    evalCondition(doc, condition);
    worst = Math.max(worst, performance.now() - start);
  }
  return worst;
}

describe("no accepted $regex can freeze the page", () => {
  it("each known-bad shape is refused, or evaluates in time on hostile 10 KB input", () => {
    let accepted = 0;
    for (const p of KNOWN_BAD) {
      const [condition] = acceptedConditions([p]);
      if (!condition) continue;
      accepted++;
      expect(slowest(condition, HOSTILE), p).toBeLessThan(BUDGET_MS);
    }
    // Most of them are refused outright; the few accepted are the near misses (a bounded or anchored shape).
    expect(accepted).toBeLessThan(KNOWN_BAD.length / 2);
  });

  it("random regex-ish patterns that pass safeParseRules evaluate in time on random and hostile 10 KB input", () => {
    fc.assert(
      fc.property(pattern, input, (p, text) => {
        const [condition] = acceptedConditions([p]);
        fc.pre(condition !== undefined);
        expect(slowest(condition!, [text, ...HOSTILE]), p).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: 60, seed: 9 },
    );
  });

  it("random patterns are mostly accepted or refused cleanly (the generator reaches both)", () => {
    const samples = fc.sample(pattern, { numRuns: 300, seed: 9 });
    const accepted = samples.filter((p) => acceptedConditions([p]).length > 0).length;
    expect(accepted).toBeGreaterThan(30);
    expect(accepted).toBeLessThan(300);
  });
});
