// Where a JSON path (`experiences[2].changes[0].selector`, as parseRules writes them) is in the text of a JSON
// document, and where a JSON syntax error is: what the playground needs to put a line number on a problem.
import { join } from "../../src/rules/references";

/** A stretch of the text: `start` inclusive, `end` exclusive (UTF-16 offsets, as a textarea counts). */
export interface Span {
  start: number;
  end: number;
}

/** A line and column, both counted from 1. */
export interface LineColumn {
  line: number;
  column: number;
}

/** A JSON syntax error: the engine's message without its own position, and where it is. */
export interface SyntaxProblem {
  message: string;
  offset: number;
}

class ScanError extends Error {
  constructor(readonly offset: number) {
    super(`unexpected input at ${offset}`);
  }
}

const WHITESPACE = /[ \t\n\r]/;
// The end of a number or literal: JSON.parse has the final word on its spelling.
const SCALAR = /[^\s,\]}:]*/y;

/**
 * The span of every path in a JSON text: a member's key (with its value when the value is a scalar, so a wrong
 * value is selected with its key), an array element's first character (or the whole scalar). Paths are written as
 * parseRules writes them; the root is `$`. A duplicated key maps to its last occurrence, which is what JSON.parse
 * keeps. Meant for valid JSON; on anything else (or nesting deeper than the stack) it returns what it found so far.
 */
export function indexJson(text: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  try {
    scan(text, spans);
  } catch {
    // A syntax error or a stack overflow: keep the spans found before it.
  }
  return spans;
}

/** Records the span of every path into `spans`; throws a ScanError where the text stops being JSON. */
function scan(text: string, spans: Map<string, Span>): void {
  let i = 0;

  const skip = () => {
    while (i < text.length && WHITESPACE.test(text[i]!)) i++;
  };
  const expect = (char: string) => {
    skip();
    if (text[i] !== char) throw new ScanError(i);
    i++;
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') throw new ScanError(i);
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    if (i >= text.length) throw new ScanError(start);
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  // Scans one value; returns its span and whether it is a scalar.
  const value = (path: string): [Span, boolean] => {
    skip();
    const start = i;
    if (text[i] === "{") {
      i++;
      members(path);
      return [{ start, end: i }, false];
    }
    if (text[i] === "[") {
      i++;
      elements(path);
      return [{ start, end: i }, false];
    }
    if (text[i] === '"') string();
    else {
      SCALAR.lastIndex = i;
      i += SCALAR.exec(text)![0].length;
      if (i === start) throw new ScanError(i);
    }
    return [{ start, end: i }, true];
  };
  const members = (path: string) => {
    skip();
    if (text[i] === "}") return void i++;
    for (;;) {
      skip();
      const keyStart = i;
      const child = join(path, string());
      const keyEnd = i;
      expect(":");
      const [span, scalar] = value(child);
      spans.set(child, { start: keyStart, end: scalar ? span.end : keyEnd });
      skip();
      if (text[i] === "}") return void i++;
      expect(",");
    }
  };
  const elements = (path: string) => {
    skip();
    if (text[i] === "]") return void i++;
    for (let index = 0; ; index++) {
      const child = join(path, index);
      const [span, scalar] = value(child);
      spans.set(child, scalar ? span : { start: span.start, end: span.start + 1 });
      skip();
      if (text[i] === "]") return void i++;
      expect(",");
    }
  };

  const [span, scalar] = value("");
  spans.set("$", scalar ? span : { start: span.start, end: span.start + 1 });
  skip();
  if (i < text.length) throw new ScanError(i);
}

/** The path one level up (`a.b[0]` → `a.b`, `a` → `$`), or undefined for the root. */
export function parentPath(path: string): string | undefined {
  if (path === "$" || path === "") return undefined;
  const last = /(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  if (!last) return "$";
  return path.slice(0, last.index) || "$";
}

/**
 * Where a problem reported at `path` is: the span of `path`, of the unknown key a message names there (`unknown key
 * "whne"` at `segments[0]` points at `"whne"`), else of the nearest enclosing path that exists in the text (a
 * missing key is reported where it should have been).
 */
export function locatePath(spans: ReadonlyMap<string, Span>, path: string, message = ""): Span | undefined {
  const unknownKey = /^unknown key "(.*?)"(?: \(did you mean|$)/.exec(message)?.[1];
  if (unknownKey !== undefined) {
    const key = spans.get(join(path === "$" ? "" : path, unknownKey));
    if (key) return key;
  }
  for (let at: string | undefined = path; at !== undefined; at = parentPath(at)) {
    const span = spans.get(at);
    if (span) return span;
  }
  return undefined;
}

/** The line and column of an offset. */
export function lineColumn(text: string, offset: number): LineColumn {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split("\n").length;
  return { line, column: before.length - before.lastIndexOf("\n") };
}

/** The syntax error of a JSON text, or undefined when it parses. */
export function jsonSyntaxError(text: string): SyntaxProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { message: withoutPosition(message), offset: errorOffset(text, message) };
  }
}

// V8 says "… at position 42 (line 3 column 5)", Firefox "… at line 3 column 5 of the JSON data", Safari nothing:
// take the engine's position when it gives one, else where our own scan stopped.
function errorOffset(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const at = /line (\d+) column (\d+)/.exec(message);
  if (at) return offsetOf(text, Number(at[1]), Number(at[2]));
  if (/end of (JSON )?(input|data)/i.test(message)) return text.length;
  return scanErrorOffset(text);
}

function withoutPosition(message: string): string {
  return message
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/ at line \d+ column \d+ of the JSON data/, "")
    .replace(/,? (?:in JSON )?at position \d+/, "")
    .replace(/^JSON\.parse: /, "");
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, text.length);
}

function scanErrorOffset(text: string): number {
  try {
    scan(text, new Map());
  } catch (e) {
    if (e instanceof ScanError) return e.offset;
  }
  return text.length;
}
