// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formPlan, isKnown, nextFields, traitsFromAnswers, validateValue } from "../../src/rules/profiling";
import type { Json, Profiling, ProfilingField } from "../../src/rules/types";

type Row = [field: ProfilingField, raw: string, expectedOk: boolean, expectedValue?: Json];

const { validateValue: rows } = JSON.parse(readFileSync(new URL("../cases/profiling.json", import.meta.url), "utf8")) as { validateValue: Row[] };

const profiling: Profiling = {
  fields: [
    { name: "firstName" },
    { name: "email", type: "email" },
    { name: "company" },
    { name: "role", options: ["developer", "marketer", "founder"] },
    { name: "companySize", type: "number" },
    { name: "phone", type: "tel", sensitive: true },
  ],
  perForm: 2,
  always: ["firstName"],
};

const names = (fields: ProfilingField[]) => fields.map((f) => f.name);

describe("validateValue (test/cases/profiling.json)", () => {
  it.each(rows.map((row) => [`${row[0].type ?? (row[0].options ? "options" : "text")} ${JSON.stringify(row[1])}`, ...row] as const))(
    "%s",
    (_name, field, raw, ok, value) => {
      const result = validateValue(field, raw);
      if (ok) expect(result).toEqual({ ok: true, value });
      // the kind names the native control whose message the form borrows
      else expect(result).toEqual({ ok: false, kind: field.options ? "option" : field.type });
    },
  );
});

describe("isKnown", () => {
  it("is an own property that is neither null nor the empty string", () => {
    const traits: Record<string, Json> = { a: "x", b: 0, c: false, d: null, e: "", f: true };
    expect(["a", "b", "c", "d", "e", "f", "g"].map((n) => isKnown(traits, n))).toEqual([true, true, true, false, false, true, false]);
  });

  it("never takes an Object.prototype member for a trait", () => {
    expect(isKnown({}, "constructor")).toBe(false);
    expect(isKnown({}, "toString")).toBe(false);
  });
});

describe("nextFields", () => {
  it("gives unknown fields in profiling.fields order, skipping always fields", () => {
    expect(names(nextFields(profiling, {}, 3))).toEqual(["email", "company", "role"]);
    expect(names(nextFields(profiling, { email: "a@b.c", role: "founder" }, 2))).toEqual(["company", "companySize"]);
  });

  it("treats null and empty traits as unknown", () => {
    expect(names(nextFields(profiling, { email: "", company: null }, 2))).toEqual(["email", "company"]);
  });

  it("counts a sensitive field answered (stored as true) as known", () => {
    expect(names(nextFields(profiling, { email: "a@b.c", company: "Acme", role: "founder", companySize: 5, phone: true }, 5))).toEqual([]);
  });

  it("returns the whole definitions, and fewer when fewer are left", () => {
    expect(nextFields(profiling, { email: "a@b.c", company: "Acme", role: "founder" }, 5)).toEqual([
      { name: "companySize", type: "number" },
      { name: "phone", type: "tel", sensitive: true },
    ]);
  });

  it("asks nothing for n of 0, negative or NaN, and floors fractions", () => {
    expect(nextFields(profiling, {}, 0)).toEqual([]);
    expect(nextFields(profiling, {}, -1)).toEqual([]);
    expect(nextFields(profiling, {}, Number.NaN)).toEqual([]);
    expect(names(nextFields(profiling, {}, 1.9))).toEqual(["email"]);
    expect(nextFields(profiling, {}, Infinity)).toHaveLength(5);
  });
});

describe("formPlan", () => {
  it("asks the first perForm unknown fields; always fields do not take a place", () => {
    expect(formPlan(profiling, {})).toEqual({
      ask: ["email", "company"],
      always: ["firstName"],
      hidden: ["role", "companySize", "phone"],
    });
  });

  it("moves along the queue as traits grow, across visits", () => {
    const visits: string[][] = [];
    let traits: Record<string, Json> = {};
    for (let visit = 0; visit < 4; visit++) {
      const plan = formPlan(profiling, traits);
      visits.push(plan.ask);
      traits = { ...traits, ...Object.fromEntries(plan.ask.map((n) => [n, "x"])) };
    }
    expect(visits).toEqual([["email", "company"], ["role", "companySize"], ["phone"], []]);
  });

  it("shows only the always fields once everything is known", () => {
    const all = { firstName: "Ada", email: "a@b.c", company: "Acme", role: "founder", companySize: 5, phone: true };
    expect(formPlan(profiling, all)).toEqual({ ask: [], always: ["firstName"], hidden: ["email", "company", "role", "companySize", "phone"] });
  });

  it("keeps an always field shown even when its trait is known, in fields order", () => {
    const p: Profiling = { ...profiling, always: ["phone", "firstName"] };
    expect(formPlan(p, { firstName: "Ada" })).toEqual({ ask: ["email", "company"], always: ["firstName", "phone"], hidden: ["role", "companySize"] });
  });
});

describe("traitsFromAnswers", () => {
  it("keeps valid non-empty answers, typed, and stores a sensitive answer as true", () => {
    expect(traitsFromAnswers(profiling, { email: " ada@example.com ", companySize: "12", phone: "+44 20 7946 0958", company: "" })).toEqual({
      email: "ada@example.com",
      companySize: 12,
      phone: true,
    });
  });

  it("drops invalid answers and answers to fields that are not in the rules", () => {
    expect(traitsFromAnswers(profiling, { email: "nope", role: "ceo", companySize: "many", newsletter: "yes", company: "Acme" })).toEqual({
      company: "Acme",
    });
  });

  it("never reads an answer from Object.prototype", () => {
    const p: Profiling = { fields: [{ name: "toString" }], perForm: 1, always: [] };
    expect(traitsFromAnswers(p, {})).toEqual({});
  });
});
