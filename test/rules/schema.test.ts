import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import invalidRows from "../cases/rules-invalid.json";
import validRows from "../cases/rules-valid.json";
import { compileRules } from "../../src/rules/compile";
import { parseRules, RulesError, rulesJsonSchema, safeParseRules } from "../../src/rules/schema";
import { isValidSelectorSyntax } from "../../src/rules/selector";
import type { RulesIssue } from "../../src/rules/types";

type Expected = { path: string; messageIncludes: string };
const invalid = invalidRows as unknown as [string, unknown, Expected[]][];
const valid = validRows as unknown as [string, unknown, Record<string, unknown> | null][];

const fixtureText = (name: string): string => readFileSync(`test/fixtures/${name}`, "utf8");
const designExample = (): Record<string, unknown> => JSON.parse(fixtureText("design-example.rules.json"));

function domSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

function issuesOf(json: unknown): RulesIssue[] {
  const result = safeParseRules(json);
  return result.success ? [] : result.error.issues;
}

describe("invalid rules files (test/cases/rules-invalid.json)", () => {
  it.each(invalid)("%s", (_name, file, expected) => {
    const issues = issuesOf(file);
    for (const want of expected) {
      const found = issues.some((i) => i.path === want.path && i.message.includes(want.messageIncludes));
      expect(found, `no issue ${JSON.stringify(want)} in\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`).toBe(true);
    }
    // The runtime refuses the same file (fail closed), naming a path for each problem.
    const compiled = compileRules(file);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) for (const i of compiled.issues) expect(i.path).toMatch(/\S/);
  });
});

describe("valid rules files (test/cases/rules-valid.json)", () => {
  it.each(valid)("%s", (_name, file, expected) => {
    const result = safeParseRules(file);
    expect(result.success ? [] : result.error.issues).toEqual([]);
    if (result.success && expected) expect(result.data).toMatchObject(expected);
    // The runtime accepts it too, with the same result (checking selectors with the DOM, as it does in a page).
    const compiled = compileRules(file, { isValidSelector: domSelector });
    expect(compiled.ok ? [] : compiled.issues).toEqual([]);
    if (compiled.ok && result.success) expect(compiled.rules).toStrictEqual(result.data);
  });
});

describe("parseRules", () => {
  it("accepts the DESIGN §2 example and fills defaults", () => {
    const rules = parseRules(designExample());
    expect(rules.segments.map((s) => s.id)).toEqual(["returning", "from-search", "hot-lead", "hot-return"]);
    expect(rules.experiences[2]!.offer!.cta!.href).toBe("/signup?code=STAY20");
    expect(rules.experiences.map((e) => e.attributionDays)).toEqual([30, 30, 30]);
    expect(rules.tracking.prehideMs).toBe(150);
    expect(rules.profiling.fields).toHaveLength(5);
    expect(rules.interests.halfLifeDays).toBe(14);
  });

  it("accepts every rules file in the repository (fixtures, demo)", () => {
    const files = [
      ...readdirSync("test/fixtures").filter((f) => f.endsWith(".rules.json")).map((f) => `test/fixtures/${f}`),
      ...readdirSync("demo").filter((f) => f.endsWith(".rules.json")).map((f) => `demo/${f}`),
    ];
    expect(files.length).toBeGreaterThan(2);
    for (const path of files) {
      const result = safeParseRules(readFileSync(path, "utf8"));
      expect(result.success ? [] : result.error.issues, path).toEqual([]);
    }
  });

  it("reads JSON text as well as objects", () => {
    expect(parseRules(fixtureText("design-example.rules.json"))).toEqual(parseRules(designExample()));
    expect(parseRules('{ "version": 1 }').segments).toEqual([]);
  });

  it("reports JSON syntax errors as one issue at $", () => {
    const issues = issuesOf('{ "version": 1, }');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("$");
    expect(issues[0]!.message).toMatch(/^not valid JSON: /);
  });

  it("throws RulesError listing every issue, one `path: message` per line", () => {
    let error: unknown;
    try {
      parseRules({ version: 2, segmnets: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RulesError);
    const { issues, message } = error as RulesError;
    expect(issues).toHaveLength(2);
    for (const i of issues) expect(message).toContain(`\n${i.path}: ${i.message}`);
    expect(message.split("\n")).toHaveLength(3);
  });

  it("reports every problem at once, from every part of the file", () => {
    const file = designExample() as any;
    file.version = 3;
    file.tracking.consent = "maybe";
    file.metrics.revenue.sum = "purchase.";
    file.segments[1].id = "From Search";
    file.segments[3].when = { segments: { $all: ["returning", "hot-leed"] } };
    file.experiences[0].changes[0].selecter = "#hero h2";
    file.experiences[0].changes[1].href = "javascript:alert(1)";
    file.experiences[1].variants[1].changes[0].selector = "h1[";
    file.experiences[2].trigger.exitIntent.sensitivty = 10;
    file.profiling.always = ["emial"];
    file.interests.tags[0].when = { "page.path": { $regex: "(a+)+" } };
    const paths = issuesOf(file).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "version",
        "tracking.consent",
        "metrics.revenue.sum",
        "segments[1].id",
        "segments[3].when.segments.$all[1]",
        "experiences[0].changes[0]",
        "experiences[0].changes[1].href",
        "experiences[1].variants[1].changes[0].selector",
        "experiences[2].trigger.exitIntent",
        "profiling.always[0]",
        'interests.tags[0].when["page.path"].$regex',
      ]),
    );
  });

  it("uses the selector check it is given", () => {
    const file = { version: 1, experiences: [{ id: "e", changes: [{ selector: "h1", text: "x" }] }] };
    expect(safeParseRules(file, { isValidSelector: () => false }).success).toBe(false);
    expect(safeParseRules(file, { isValidSelector: () => true }).success).toBe(true);
    // A checker that throws has rejected the selector.
    expect(safeParseRules(file, { isValidSelector: () => { throw new Error("no"); } }).success).toBe(false);
  });

  it("never throws for hostile input", () => {
    const cyclic: Record<string, unknown> = { version: 1, segments: [] };
    const when: Record<string, unknown> = {};
    when.$and = [when];
    (cyclic.segments as unknown[]).push({ id: "a", when });
    expect(safeParseRules(cyclic).success).toBe(false);
    expect(compileRules(cyclic).ok).toBe(false);
    const getter = Object.defineProperty({ version: 1 }, "segments", { enumerable: true, get: () => { throw new Error("boom"); } });
    expect(safeParseRules(getter).success).toBe(false);
    expect(compileRules(getter).ok).toBe(false);
  });

  it("does not mutate its input", () => {
    const file = designExample();
    const copy = structuredClone(file);
    parseRules(file);
    compileRules(file);
    expect(file).toEqual(copy);
  });
});

describe("problems beyond shape", () => {
  it("the runtime names them by their bare code, each at its path", () => {
    const file = { version: 1, groups: { g: [] }, segments: [{ id: "a", when: { "traits.c": { $inGroup: "h" }, segments: "b" } }] };
    const compiled = compileRules(file, { isValidSelector: domSelector });
    expect(compiled.ok ? [] : compiled.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: 'segments[0].when["traits.c"].$inGroup', message: "unknown group" },
      { path: "segments[0].when.segments", message: "unknown segment" },
    ]);
  });

  it("parseRules words them for people, also in a structurally broken file", () => {
    const issues = issuesOf({ segments: [5, { id: "a", when: { segments: "b" } }], experiences: "x", profiling: { always: ["z"] } });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "version", message: expect.stringContaining("is required") },
        { path: "segments[1].when.segments", message: 'unknown segment "b"' },
        { path: "profiling.always[0]", message: 'unknown field "z"' },
      ]),
    );
  });
});

describe("isValidSelectorSyntax (the Node default)", () => {
  it.each([
    ["#hero h1", true], ["#hero .cta", true], ["a[href^='/docs']", true], ["ul > li:nth-child(2n+1)", true],
    ["input:not([type=hidden])", true], ["a:has(> img)", true], ["h1, h2", true], [".md\\:flex", true],
    ["", false], ["  ", false], ["div[", false], ["a,,b", false], ["> a", false], ["a >", false], ["p::before", false],
    ["p:before", false], ["p:hover-ish", false], ["#1col", false], [".2col", false], ["[a=1]", false], ["a < b", false],
    ["a || b", false], ["a[x!=y]", false], [":not(2n+1)", false], ["div!", false],
  ])("%s → %s", (selector, ok) => {
    expect(isValidSelectorSyntax(selector)).toBe(ok);
  });

  // css-what reads `..cta` as the class ".cta"; browsers throw. These the DOM parser decides the same way.
  it.each([
    ["#hero ..cta", false], ["a.", false], ["#", false], ["a#.b", false], [". cta", false], [".\\31 col", true],
    ["[data-x='a..b']", true], ["a.b-c.d_e", true], [".-x", true], [".é", true],
  ])("%s → %s, as the DOM says", (selector, ok) => {
    expect(isValidSelectorSyntax(selector)).toBe(ok);
    expect(domSelector(selector)).toBe(ok);
  });

  it("the runtime's default (no DOM) never accepts what the Node default refuses", () => {
    const file = (selector: string) => ({ version: 1, experiences: [{ id: "e", changes: [{ selector, text: "x" }] }] });
    for (const s of ["#hero h1", "a[href^='/docs']", "div[", "p::before", "#1col", "[a=1]", "a < b", "h1,", "a b > c ~ d + e"]) {
      if (compileRules(file(s)).ok) expect(safeParseRules(file(s)).success, s).toBe(true);
    }
  });
});

// ---- JSON Schema ------------------------------------------------------------------------------------------------

type Schema = Record<string, any>;

/** Just enough of draft-07 to check that the generated schema describes the files we accept and refuse. */
function validate(schema: Schema, value: unknown, root: Schema, path = "$"): string[] {
  if (schema.$ref) return validate(root.definitions[schema.$ref.replace("#/definitions/", "")], value, root, path);
  const errors: string[] = [];
  const type = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const types: string[] | undefined = schema.type === undefined ? undefined : [].concat(schema.type);
  const typeOk = !types || types.some((t) => t === type || (t === "integer" && Number.isInteger(value)) || (t === "number" && type === "number"));
  if (!typeOk) return [`${path}: expected ${types!.join("|")}`];
  if ("const" in schema && schema.const !== value) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: not in enum`);
  if (schema.anyOf && !schema.anyOf.some((s: Schema) => validate(s, value, root, path).length === 0)) errors.push(`${path}: no anyOf branch`);
  if (schema.if && validate(schema.if, value, root, path).length === 0 && schema.then) errors.push(...validate(schema.then, value, root, path));
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above maximum`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) errors.push(`${path}: not above exclusiveMinimum`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: too short`);
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: pattern`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: too few items`);
    if (schema.items) value.forEach((v, i) => errors.push(...validate(schema.items, v, root, `${path}[${i}]`)));
  }
  if (type === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path}: missing ${key}`);
    if (schema.propertyNames) for (const key of Object.keys(obj)) errors.push(...validate(schema.propertyNames, key, root, `${path}.${key}`));
    if (schema.minProperties !== undefined && Object.keys(obj).length < schema.minProperties) errors.push(`${path}: too few properties`);
    for (const [key, v] of Object.entries(obj)) {
      const at = `${path}.${key}`;
      const pattern = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>).find(([p]) => new RegExp(p).test(key));
      if (schema.properties?.[key]) errors.push(...validate(schema.properties[key], v, root, at));
      else if (pattern) errors.push(...validate(pattern[1], v, root, at));
      else if (schema.additionalProperties === false) errors.push(`${at}: additional property`);
      else if (typeof schema.additionalProperties === "object") errors.push(...validate(schema.additionalProperties, v, root, at));
    }
  }
  return errors;
}

describe("rulesJsonSchema", () => {
  const schema = rulesJsonSchema() as Schema;

  it("is a draft-07 schema with an id, a title and strict objects", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.$id).toMatch(/segmint\.schema\.json$/);
    expect(schema.title).toBe("segmint rules");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["version"]);
    expect(schema.properties.segments.items.additionalProperties).toBe(false);
    expect(schema.properties.segments.items.required).toEqual(["id", "when"]);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it("describes fields, for hover docs and completion", () => {
    const experience = schema.properties.experiences.items;
    expect(schema.properties.segments.description).toEqual(expect.any(String));
    expect(experience.properties.holdout.description).toMatch(/control/);
    expect(experience.properties.holdout.maximum).toBe(1);
    expect(schema.properties.tracking.properties.prehideMs.default).toBe(150);
    expect(schema.definitions.operators.properties.$regex.description).toEqual(expect.any(String));
    // Defaults are optional in what authors write.
    expect(experience.required).toEqual(["id"]);
  });

  it("accepts the DESIGN example and the kitchen-sink file", () => {
    expect(validate(schema, designExample(), schema)).toEqual([]);
    expect(validate(schema, JSON.parse(fixtureText("kitchen-sink.rules.json")), schema)).toEqual([]);
  });

  it("refuses unknown keys, unknown operators and wrong types", () => {
    const file = designExample() as any;
    file.experiences[0].changes[0].selecter = "x";
    file.segments[0].when = { "visitor.sessions": { $gtt: 1 } };
    file.tracking.maxEvents = "many";
    expect(validate(schema, file, schema)).toEqual([
      "$.tracking.maxEvents: expected integer",
      '$.segments[0].when.visitor.sessions.$gtt: additional property',
      "$.experiences[0].changes[0].selecter: additional property",
    ]);
  });

  it("builds nothing at import: the schema is made on call", () => {
    expect(rulesJsonSchema()).toEqual(schema);
    expect(rulesJsonSchema()).not.toBe(schema);
  });
});
