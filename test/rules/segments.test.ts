// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateSegments, type SegmentSpec, type SegmentsResult } from "../../src/rules/segments";
import type { Context } from "../../src/rules/types";

type SegmentForm = { id: string; stickyDays?: number; path?: string; equals?: unknown; all?: string[]; none?: string[]; throws?: true };
type Row = [name: string, segments: SegmentForm[], ctx: Record<string, unknown>, previous: string[], stickyHours: Record<string, number>, expected: SegmentsResult];

const { rows } = JSON.parse(readFileSync(new URL("../cases/segments.json", import.meta.url), "utf8")) as { rows: Row[] };

const NOW = Date.parse("2026-03-10T12:00:00Z");
const HOUR = 3_600_000;

function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Builds a segment's compiled test from the table's tiny form. */
function specOf(form: SegmentForm): SegmentSpec {
  const def = { id: form.id, when: {}, ...(form.stickyDays !== undefined ? { stickyDays: form.stickyDays } : {}) };
  const test = (ctx: Context): boolean => {
    if (form.throws) throw new Error("broken rule");
    if (form.path !== undefined && getPath(ctx, form.path) !== form.equals) return false;
    if (form.all && !form.all.every((id) => ctx.segments.includes(id))) return false;
    if (form.none && form.none.some((id) => ctx.segments.includes(id))) return false;
    return true;
  };
  return { def, test };
}

function hoursToTimes(hours: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(hours).map(([id, h]) => [id, NOW + h * HOUR]));
}

describe("segment table", () => {
  it.each(rows)("%s", (_name, forms, ctx, previous, stickyHours, expected) => {
    const result = evaluateSegments(forms.map(specOf), { segments: [], ...ctx } as unknown as Context, hoursToTimes(stickyHours), NOW, previous);
    expect(result).toEqual({ ...expected, stickyUntil: hoursToTimes(expected.stickyUntil) });
  });
});

describe("evaluateSegments", () => {
  const hotLead = specOf({ id: "hot-lead", path: "x", equals: 1, stickyDays: 7 });

  it("changes neither the caller's context, its segments array, nor the sticky record", () => {
    const segments = ["old"];
    const ctx = { x: 1, segments } as unknown as Context;
    const sticky = { "hot-lead": NOW - 1 };
    const result = evaluateSegments([hotLead, specOf({ id: "b", all: ["hot-lead"] })], ctx, sticky, NOW, []);
    expect(result.ids).toEqual(["hot-lead", "b"]);
    expect(ctx.segments).toBe(segments);
    expect(segments).toEqual(["old"]);
    expect(sticky).toEqual({ "hot-lead": NOW - 1 });
    expect(result.ids).not.toBe(segments);
  });

  it("walks a visitor through enter, sticky stay and exit over time", () => {
    const day = 86_400_000;
    const qualifying = { x: 1, segments: [] } as unknown as Context;
    const not = { x: 0, segments: [] } as unknown as Context;

    const day0 = evaluateSegments([hotLead], qualifying, {}, NOW, []);
    expect(day0).toMatchObject({ ids: ["hot-lead"], entered: ["hot-lead"], exited: [] });

    const day3 = evaluateSegments([hotLead], not, day0.stickyUntil, NOW + 3 * day, day0.ids);
    expect(day3).toMatchObject({ ids: ["hot-lead"], entered: [], exited: [], sticky: ["hot-lead"] });

    const day7 = evaluateSegments([hotLead], not, day3.stickyUntil, NOW + 7 * day - 1, day3.ids);
    expect(day7.ids).toEqual(["hot-lead"]);

    const day8 = evaluateSegments([hotLead], not, day7.stickyUntil, NOW + 7 * day, day7.ids);
    expect(day8).toMatchObject({ ids: [], entered: [], exited: ["hot-lead"], stickyUntil: {} });

    const day9 = evaluateSegments([hotLead], qualifying, day8.stickyUntil, NOW + 9 * day, day8.ids);
    expect(day9).toMatchObject({ ids: ["hot-lead"], entered: ["hot-lead"], stickyUntil: { "hot-lead": NOW + 16 * day } });
  });

  it("a duplicate id is decided by its first definition", () => {
    const result = evaluateSegments([specOf({ id: "a", path: "x", equals: 1 }), specOf({ id: "a" })], { x: 0, segments: [] } as unknown as Context, {}, NOW, []);
    expect(result.ids).toEqual([]);
  });
});
