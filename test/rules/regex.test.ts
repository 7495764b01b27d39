import { describe, expect, it } from "vitest";
import rows from "../cases/regex.json";
import { cachedRegex, MAX_REGEX_INPUT, unsafeRegexReason } from "../../src/rules/regex";

const table = rows as [string, boolean][];

describe("unsafeRegexReason (test/cases/regex.json)", () => {
  it.each(table.map(([pattern, safe], i) => [i, pattern, safe] as const))("row %i: %s → safe %s", (_i, pattern, safe) => {
    const reason = unsafeRegexReason(pattern);
    if (safe) expect(reason).toBeNull();
    else expect(reason).toEqual(expect.any(String));
  });

  it("names the problem", () => {
    expect(unsafeRegexReason("(a+)+$")).toBe("nested quantifier `(a+)+` can backtrack catastrophically");
    expect(unsafeRegexReason("(a)\\1")).toBe("backreferences are not allowed");
    expect(unsafeRegexReason(".*a.*a.*b")).toMatch(/^too many overlapping repeats in `.*a.*a.*`/);
    expect(unsafeRegexReason("(?<n>a)\\k<n>")).toBe("backreferences are not allowed");
    expect(unsafeRegexReason("(")).toMatch(/^invalid regular expression: /);
    expect(unsafeRegexReason("a".repeat(501))).toBe("pattern longer than 500 characters");
    expect(unsafeRegexReason("a".repeat(500))).toBeNull();
  });
});

describe("cachedRegex", () => {
  it("returns the same instance for the same pattern and flags", () => {
    const a = cachedRegex("^/pricing", "");
    expect(a).toBeInstanceOf(RegExp);
    expect(cachedRegex("^/pricing", "")).toBe(a);
    expect(cachedRegex("^/pricing", "i")).not.toBe(a);
    expect(cachedRegex("^/pricing", "i")?.flags).toBe("i");
  });

  it("returns null for invalid, unsafe or stateful-flag patterns", () => {
    expect(cachedRegex("(", "")).toBeNull();
    expect(cachedRegex("(a+)+$", "")).toBeNull();
    expect(cachedRegex("a", "g")).toBeNull();
    expect(cachedRegex(1 as unknown as string, "")).toBeNull();
  });

  it("uses a Map, so inherited names are ordinary patterns", () => {
    for (const p of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      expect(cachedRegex(p, "")?.test(p)).toBe(true);
    }
  });

  it("stays bounded and keeps working after eviction", () => {
    for (let i = 0; i < 600; i++) expect(cachedRegex(`^p${i}$`, "")?.test(`p${i}`)).toBe(true);
    expect(cachedRegex("^p0$", "")?.test("p0")).toBe(true);
  });

  it("exports the input bound", () => {
    expect(MAX_REGEX_INPUT).toBe(256);
  });
});
