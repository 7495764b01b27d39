// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_OUTPUT, MAX_TOKENS, renderTemplate, templatePaths } from "../../src/rules/template";

type RenderRow = [name: string, template: string, doc: unknown, expected: string];
type PathsRow = [name: string, template: string, expected: string[]];

const cases = JSON.parse(readFileSync(new URL("../cases/template.json", import.meta.url), "utf8")) as {
  renderTemplate: RenderRow[];
  templatePaths: PathsRow[];
};

/** Own-property dot-path lookup, standing in for condition.ts's getPath. */
function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

describe("renderTemplate", () => {
  it.each(cases.renderTemplate)("%s", (_name, template, doc, expected) => {
    expect(renderTemplate(template, doc, getPath)).toBe(expected);
  });

  it(`substitutes at most ${MAX_TOKENS} tokens and leaves the rest as written`, () => {
    const template = "{{n}}".repeat(MAX_TOKENS + 2);
    expect(renderTemplate(template, { n: 7 }, getPath)).toBe("7".repeat(MAX_TOKENS) + "{{n}}{{n}}");
  });

  it(`cuts the output at ${MAX_OUTPUT} characters`, () => {
    const out = renderTemplate("Hi {{t}}!", { t: "x".repeat(5000) }, getPath);
    expect(out).toHaveLength(MAX_OUTPUT);
    expect(out.startsWith("Hi xxx")).toBe(true);
  });

  it("does not cut a surrogate pair in half", () => {
    const out = renderTemplate("{{t}}", { t: "a" + "😀".repeat(1500) }, getPath);
    expect(out).toHaveLength(MAX_OUTPUT - 1);
    expect(out.endsWith("😀")).toBe(true);
  });

  it("stays linear on a long run of unterminated braces", () => {
    const template = "{{".repeat(50_000);
    expect(renderTemplate(template, {}, getPath)).toHaveLength(MAX_OUTPUT);
  });
});

describe("templatePaths", () => {
  it.each(cases.templatePaths)("%s", (_name, template, expected) => {
    expect(templatePaths(template)).toEqual(expected);
  });

  it(`reads no more than ${MAX_TOKENS} tokens`, () => {
    const template = Array.from({ length: MAX_TOKENS + 5 }, (_, i) => `{{p${i}}}`).join("");
    expect(templatePaths(template)).toHaveLength(MAX_TOKENS);
  });
});
