// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileExperiences, type ExperienceDecision, type ExperienceHistory, type Preview } from "../../src/rules/experiences";
import { safeParseRules } from "../../src/rules/schema";
import type { Context, ExperienceDef, Json, Rules } from "../../src/rules/types";

/** A row's visit; every field has a default (see `contextOf`). Times are ISO strings. */
type Input = {
  segments?: string[];
  traits?: Record<string, Json>;
  path?: string;
  date?: string;
  now?: string;
  visitor?: string;
  history?: { shows?: string[]; dismissedAt?: string; convertedAt?: string };
  preview?: Preview;
};
type Row = [name: string, experience: ExperienceDef, input: Input, expected: Omit<ExperienceDecision, "id" | "changes"> & Partial<ExperienceDecision>];

const { rows } = JSON.parse(readFileSync(new URL("../cases/experiences.json", import.meta.url), "utf8")) as { rows: Row[] };

const GROUPS = { vip: ["acme", "globex"] };
const NOW = "2026-03-10T12:00:00Z";

function rulesOf(...experiences: ExperienceDef[]): Rules {
  return { experiences, groups: GROUPS } as unknown as Rules;
}

/** The context parts experiences read: segments, time.date (the visitor's local day), page and traits. */
function contextOf(input: Input): Context {
  return {
    page: { path: input.path ?? "/" },
    time: { date: input.date ?? "2026-03-10" },
    segments: input.segments ?? [],
    traits: input.traits ?? {},
  } as unknown as Context;
}

function historyOf(input: Input["history"]): ExperienceHistory | undefined {
  if (!input) return undefined;
  return {
    ...(input.shows ? { shows: input.shows.map(Date.parse) } : {}),
    ...(input.dismissedAt ? { dismissedAt: Date.parse(input.dismissedAt) } : {}),
    ...(input.convertedAt ? { convertedAt: Date.parse(input.convertedAt) } : {}),
  };
}

function decideRow(def: ExperienceDef, input: Input): ExperienceDecision | undefined {
  const history = historyOf(input.history);
  const decide = compileExperiences(rulesOf(def));
  return decide(contextOf(input), input.visitor ?? "alice", Date.parse(input.now ?? NOW), history ? { [def.id]: history } : {}, input.preview)[0];
}

/** Every segment id a row's experience names, so that the row is a complete, valid rules file. */
function segmentIds(def: ExperienceDef): string[] {
  return def.segment === undefined ? [] : typeof def.segment === "string" ? [def.segment] : def.segment;
}

describe("experience table", () => {
  it("covers every state", () => {
    const states = new Set(rows.map((row) => row[3].state));
    expect([...states].sort()).toEqual(["applied", "capped", "control", "disabled", "not-eligible", "scheduled"]);
  });

  it.each(rows)("%s", (_name, def, input, expected) => {
    expect(decideRow(def, input)).toEqual({ id: def.id, changes: [], ...expected });
  });

  it.each(rows)("is a valid rules file: %s", (_name, def) => {
    const json = { version: 1, groups: GROUPS, segments: segmentIds(def).map((id) => ({ id, when: {} })), experiences: [def] };
    const result = safeParseRules(json);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });
});

describe("compileExperiences", () => {
  const a: ExperienceDef = { id: "a", segment: "returning", changes: [{ selector: "h1", text: "A" }] };
  const b: ExperienceDef = { id: "b", frequency: { maxShows: 1 }, changes: [{ selector: "h2", text: "B" }] };
  const c: ExperienceDef = { id: "c", enabled: false, changes: [] };
  const decide = compileExperiences(rulesOf(a, b, c));
  const now = Date.parse(NOW);

  it("decides every experience, in rules order", () => {
    const decisions = decide(contextOf({ segments: ["returning"] }), "alice", now, {});
    expect(decisions.map((d) => [d.id, d.state])).toEqual([["a", "applied"], ["b", "applied"], ["c", "disabled"]]);
  });

  it("reads each experience's own history", () => {
    const decisions = decide(contextOf({}), "alice", now, { a: { shows: [now, now] }, b: { shows: [now] } });
    expect(decisions.map((d) => [d.id, d.state])).toEqual([["a", "not-eligible"], ["b", "capped"], ["c", "disabled"]]);
  });

  it("forces only the previewed experience", () => {
    const decisions = decide(contextOf({}), "alice", now, {}, { id: "c" });
    expect(decisions.map((d) => [d.id, d.state, d.reason])).toEqual([
      ["a", "not-eligible", "not in segment returning"],
      ["b", "applied", undefined],
      ["c", "applied", "preview"],
    ]);
  });

  it("gives the same visitor the same variant on every call", () => {
    const ab = compileExperiences(rulesOf({ id: "ab", variants: [{ id: "x", changes: [] }, { id: "y", changes: [] }] }));
    for (const visitor of ["alice", "bob", "carol", "dave"]) {
      const first = ab(contextOf({}), visitor, now, {})[0]?.variant;
      expect(ab(contextOf({}), visitor, now + 86_400_000, {})[0]?.variant).toBe(first);
    }
  });
});
