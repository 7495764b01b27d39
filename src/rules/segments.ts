// Segment membership (DESIGN §2 "Segments"): evaluated in rules order, each segment seeing the ones decided before
// it, with `stickyDays` keeping a visitor in after they stop qualifying.

import type { Context, SegmentDef } from "./types";

/** A segment as the runtime holds it: its definition and its compiled `when`. */
export interface SegmentSpec {
  def: SegmentDef;
  test: (ctx: Context) => boolean;
}

/** What one evaluation decided. */
export interface SegmentsResult {
  /** Member segment ids, in rules order. */
  ids: string[];
  /** Sticky deadlines (epoch ms) still running, by segment id; store it for the next evaluation. */
  stickyUntil: Record<string, number>;
  /** Ids that are members now and were not before, in rules order. */
  entered: string[];
  /** Ids that were members before and are not now, in their previous order. */
  exited: string[];
  /** Ids that are members only because of `stickyDays` (they do not qualify now), for `explain()`. */
  sticky: string[];
}

const DAY_MS = 86_400_000;

/**
 * Evaluates every segment in order against `ctx` (not changed: segments see a copy whose `segments` holds the ids
 * decided so far, so a segment can test earlier ones but never later ones). A segment with `stickyDays` that
 * qualifies gets `stickyUntil[id] = now + stickyDays` days; a visitor is a member while they qualify or
 * `now < stickyUntil[id]`. Expired deadlines, and those of segments that are gone or no longer sticky, are dropped.
 * `forced` ids are members whatever their condition says (the debug panel's QA switch, one tab only).
 */
export function evaluateSegments(
  specs: readonly SegmentSpec[],
  ctx: Context,
  stickyUntil: Record<string, number>,
  now: number,
  previous: readonly string[],
  forced: ReadonlySet<string> = new Set(),
): SegmentsResult {
  const ids: string[] = [];
  const view: Context = { ...ctx, segments: ids };
  const nextSticky: Record<string, number> = {};
  const sticky: string[] = [];
  const seen = new Set<string>();
  for (const { def, test } of specs) {
    const { id, stickyDays = 0 } = def;
    if (seen.has(id)) continue; // duplicate ids are a rules error; the first one decides
    seen.add(id);
    let qualifies = false;
    try {
      qualifies = test(view) === true;
    } catch {
      // a condition that throws does not qualify (a broken rule never breaks the page)
    }
    // a deadline still running (only a number is one: an inherited `constructor` is not)
    const old = stickyUntil[id];
    const until = stickyDays > 0 ? (qualifies ? now + stickyDays * DAY_MS : typeof old === "number" && now < old ? old : undefined) : undefined;
    // A segment forced for QA is a member without qualifying, so it never starts a sticky deadline.
    const pass = qualifies || forced.has(id);
    if (pass || until !== undefined) ids.push(id);
    if (until !== undefined) {
      nextSticky[id] = until;
      if (!pass) sticky.push(id);
    }
  }
  return {
    ids,
    stickyUntil: nextSticky,
    entered: ids.filter((id) => !previous.includes(id)),
    exited: [...new Set(previous)].filter((id) => !ids.includes(id)),
    sticky,
  };
}
