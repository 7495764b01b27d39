// Locating a problem's JSON path in the text the person typed, and a JSON syntax error's line and column.
import { describe, expect, it } from "vitest";
import { indexJson, jsonSyntaxError, lineColumn, locatePath, parentPath } from "../../demo/playground/json-locate";

const TEXT = `{
  "version": 1,
  "segments": [
    { "id": "a", "whne": {} },
    {
      "id": "b",
      "when": { "page.path": { "$regex": "(a+)+$" } }
    }
  ],
  "odd key": { "x\\"y": [1, [2, 3]] }
}`;

/** The text a located path selects, and the line it starts on. */
function found(path: string, message = ""): { text: string; line: number } | undefined {
  const span = locatePath(indexJson(TEXT), path, message);
  return span && { text: TEXT.slice(span.start, span.end), line: lineColumn(TEXT, span.start).line };
}

describe("locatePath", () => {
  it("finds a member with its scalar value, on its line", () => {
    expect(found("version")).toEqual({ text: '"version": 1', line: 2 });
    expect(found("segments[1].id")).toEqual({ text: '"id": "b"', line: 6 });
  });

  it("finds the key of a member whose value is an object or a list", () => {
    expect(found("segments")).toEqual({ text: '"segments"', line: 3 });
    expect(found("segments[1].when")).toEqual({ text: '"when"', line: 7 });
  });

  it("finds paths through quoted keys, as parseRules writes them", () => {
    expect(found('segments[1].when["page.path"].$regex')).toEqual({ text: '"$regex": "(a+)+$"', line: 7 });
    expect(found('["odd key"]["x\\"y"][1][0]')).toEqual({ text: "2", line: 10 });
  });

  it("finds an array element by its first character", () => {
    expect(found("segments[1]")).toEqual({ text: "{", line: 5 });
  });

  it("points an unknown key problem at the key itself", () => {
    expect(found("segments[0]", 'unknown key "whne" (did you mean "when"?)')).toEqual({ text: '"whne"', line: 4 });
    expect(found("$", 'unknown key "odd key"')).toEqual({ text: '"odd key"', line: 10 });
  });

  it("points a missing key at the nearest enclosing place that exists", () => {
    expect(found("segments[0].when", "is required")).toEqual({ text: "{", line: 4 });
    expect(found("experiences[3].changes")).toEqual({ text: "{", line: 1 });
  });

  it("keeps the last of duplicated keys, as JSON.parse does", () => {
    const text = '{ "a": 1,\n  "a": 2 }';
    const span = locatePath(indexJson(text), "a")!;
    expect(text.slice(span.start, span.end)).toBe('"a": 2');
  });

  it("returns what it found before a syntax error, and survives nesting deeper than the stack", () => {
    expect(indexJson('{ "a": 1, "b": ').get("a")).toEqual({ start: 2, end: 8 });
    expect(() => indexJson("[".repeat(200_000))).not.toThrow();
  });
});

describe("parentPath", () => {
  it("goes up one level of any kind", () => {
    expect(parentPath('a.b[0]["c d"]')).toBe("a.b[0]");
    expect(parentPath("a.b[0]")).toBe("a.b");
    expect(parentPath("a.b")).toBe("a");
    expect(parentPath("a")).toBe("$");
    expect(parentPath('["odd key"]')).toBe("$");
    expect(parentPath("$")).toBeUndefined();
  });
});

describe("jsonSyntaxError", () => {
  it("is undefined for valid JSON", () => {
    expect(jsonSyntaxError('{ "a": [1, 2] }')).toBeUndefined();
  });

  it("gives the line and column of a missing comma, without the engine's own position", () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    const error = jsonSyntaxError(text)!;
    expect(lineColumn(text, error.offset)).toEqual({ line: 3, column: 3 });
    expect(error.message).not.toMatch(/position|line \d/);
  });

  it("puts an unexpected end at the end of the text", () => {
    const text = '{ "a": [1, 2';
    expect(jsonSyntaxError(text)!.offset).toBe(text.length);
    expect(jsonSyntaxError("")!.offset).toBe(0);
  });
});

describe("lineColumn", () => {
  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
