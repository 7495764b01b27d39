// The editors' checks: every problem as `path: message` on the line it is about; a history checked like a rules file.
import { describe, expect, it } from "vitest";
import { checkHistoryText, checkRulesText, type Problem } from "../../demo/playground/check";
import { builtInRulesText, exampleHistoryText } from "../../demo/playground/examples";
import { simulate } from "../../src/rules/simulate";

const problemsOf = (checked: { ok: boolean; problems?: Problem[] }) => (checked.ok ? [] : checked.problems!);
const lines = (problems: Problem[]) => problems.map((p) => `${p.at?.line ?? "-"} ${p.path}: ${p.message}`);

describe("checkRulesText", () => {
  it("reports a typo'd key with a suggestion, on the key's line", () => {
    const text = '{\n  "version": 1,\n  "segments": [\n    { "id": "a",\n      "whne": { "page.path": "/" } }\n  ]\n}';
    expect(lines(problemsOf(checkRulesText(text)))).toEqual([
      "4 segments[0].when: is required",
      '5 segments[0]: unknown key "whne" (did you mean "when"?)',
    ]);
  });

  it("reports an unsafe regex at its path and line", () => {
    const text = '{ "version": 1,\n  "segments": [{ "id": "a",\n    "when": { "page.path": { "$regex": "(a+)+$" } } }] }';
    const [problem] = problemsOf(checkRulesText(text));
    expect(problem?.path).toBe('segments[0].when["page.path"].$regex');
    expect(problem?.message).toMatch(/backtrack/);
    expect(problem?.at?.line).toBe(3);
    expect(text.slice(problem!.span!.start, problem!.span!.end)).toBe('"$regex": "(a+)+$"');
  });

  it("reports a JSON syntax error with its line and column, and nothing else", () => {
    const text = '{\n  "version": 1\n  "segments": []\n}';
    const problems = problemsOf(checkRulesText(text));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: "", at: { line: 3, column: 3 } });
    expect(problems[0]?.message).toMatch(/^not valid JSON: /);
  });

  it("accepts the built-in example, with its defaults filled in", () => {
    const checked = checkRulesText(builtInRulesText());
    expect(checked.ok && checked.value.tracking.sessionTimeoutMinutes).toBe(30);
  });
});

describe("checkHistoryText", () => {
  it("accepts the example history, which puts the visitor in several of the example's segments", () => {
    const rules = checkRulesText(builtInRulesText());
    const history = checkHistoryText(exampleHistoryText());
    if (!rules.ok || !history.ok) throw new Error("the examples must be valid");
    const result = simulate(rules.value, history.value);
    expect(result.segments).toEqual(["returning", "docs-reader", "hot-lead", "hot-return"]);
    expect(result.experiences.map((e) => e.state)).toContain("applied");
  });

  it("names each problem's path, on its line", () => {
    const text = [
      "{",
      '  "evnets": [],',
      '  "now": "soon",',
      '  "page": { "url": "/pricing/" },',
      '  "traits": [],',
      '  "events": [',
      '    { "t": "2026-03-02T09:00:00Z", "type": "pageview", "path": "pricing" },',
      '    { "type": "pageview" },',
      '    { "t": 1, "type": "" },',
      "    42",
      "  ]",
      "}",
    ].join("\n");
    expect(lines(problemsOf(checkHistoryText(text)))).toEqual([
      '2 $: unknown key "evnets" (did you mean "events"?)',
      "3 now: expected an ISO date-time or epoch milliseconds",
      "4 page.url: expected an absolute http(s) URL",
      "5 traits: expected an object of trait values",
      '7 events[0].path: expected a path starting with "/"',
      '8 events[1]: needs a time "t"',
      "9 events[2].type: expected a non-empty string",
      expect.stringMatching(/^10 events\[3\]: expected an event like/),
    ]);
  });

  it("requires the events list", () => {
    expect(lines(problemsOf(checkHistoryText("{}")))).toEqual(["1 events: is required"]);
    expect(lines(problemsOf(checkHistoryText("[]")))).toEqual([expect.stringMatching(/^1 \$: expected an object/)]);
  });
});
