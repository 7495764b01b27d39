// The two editors' texts checked: JSON syntax first, then the rules schema (the CLI's `segmint validate`) or the
// history's shape; every problem carries where it is in the text, when that can be found.
import { safeParseRules } from "../../src/rules/schema";
import type { Rules, RulesIssue } from "../../src/rules/types";
import type { History } from "../../src/rules/simulate";
import { checkHistory } from "./history-check";
import { indexJson, jsonSyntaxError, lineColumn, locatePath, type LineColumn, type Span } from "./json-locate";

/** One problem in an editor's text: `path: message`, with its place in the text when it was found. */
export interface Problem {
  /** The JSON path (`segments[0].when`), `$` for the whole document, "" for a JSON syntax error. */
  path: string;
  message: string;
  span?: Span;
  at?: LineColumn;
}

/** A checked text: the value it holds when valid, else its problems. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Checks a rules file's text as `segmint validate` does. */
export function checkRulesText(text: string): Checked<Rules> {
  return checkText(text, (json) => {
    const result = safeParseRules(json);
    return result.success ? { ok: true, value: result.data } : { ok: false, issues: result.error.issues };
  });
}

/** Checks a visit history's text as `segmint simulate` reads it. */
export function checkHistoryText(text: string): Checked<History> {
  return checkText(text, (json) => {
    const result = checkHistory(json);
    return result.ok ? { ok: true, value: result.history } : { ok: false, issues: result.issues };
  });
}

type Validate<T> = (json: unknown) => { ok: true; value: T } | { ok: false; issues: RulesIssue[] };

function checkText<T>(text: string, validate: Validate<T>): Checked<T> {
  const syntax = jsonSyntaxError(text);
  if (syntax) {
    const span = { start: syntax.offset, end: Math.min(syntax.offset + 1, text.length) };
    return { ok: false, problems: [{ path: "", message: `not valid JSON: ${syntax.message}`, span, at: lineColumn(text, syntax.offset) }] };
  }
  const result = validate(JSON.parse(text));
  if (result.ok) return result;
  const spans = indexJson(text);
  const problems = result.issues.map(({ path, message }): Problem => {
    const span = locatePath(spans, path, message);
    return span ? { path, message, span, at: lineColumn(text, span.start) } : { path, message };
  });
  // In the order of the text, as an editor lists them (sort is stable: one place keeps the validator's order).
  return { ok: false, problems: problems.sort((a, b) => (a.span?.start ?? Infinity) - (b.span?.start ?? Infinity)) };
}
