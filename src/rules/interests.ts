// Interests (DESIGN §2 `interests`, §3 `context.interests`): active seconds on tagged pages, decayed exponentially.
// A score is stored "as of" a time t; moving it to t' multiplies by 2^(-(t'-t)/halfLife), which makes scores
// order-independent and mergeable — events from another tab, or late, add up exactly as if they came in order.

/** Per tag, the score as of time `t` (epoch ms). JSON-serialisable, for the profile store. */
export type InterestState = Record<string, { score: number; t: number }>;

/** A compiled `interests.tags` rule: its `when` as a test on the context, and the tags it gives. */
export interface TagRule {
  test: (ctx: unknown) => boolean;
  tags: string[];
}

type Score = { score: number; t: number };

const DAY_MS = 86_400_000;
const MAX_PAGE_TAGS = 20;
const MAX_TAG_LENGTH = 40;
const MAX_SCORES = 50;

// A key that would set the prototype of a plain object instead of becoming a property (a page controls its tags).
const UNSAFE = "__proto__";

/** `s` moved to time `to`. A half-life that is not positive means no decay. */
function decay(s: Score, to: number, halfLifeDays: number): number {
  return halfLifeDays > 0 ? s.score * 2 ** ((s.t - to) / (halfLifeDays * DAY_MS)) : s.score;
}

// Sums at the later of the two times, so a score is only ever decayed forward, never amplified. `state[tag]` is
// read only when it is the state's own (a tag may be "constructor").
function combine(state: InterestState, tag: string, b: Score, halfLifeDays: number): void {
  const a = Object.prototype.hasOwnProperty.call(state, tag) ? state[tag] : undefined;
  const t = Math.max(a ? a.t : b.t, b.t);
  state[tag] = { score: (a ? decay(a, t, halfLifeDays) : 0) + decay(b, t, halfLifeDays), t };
}

/** Adds `seconds` of active dwell at time `t` to each tag; returns a new state (events may come in any order). */
export function addInterest(state: InterestState, tags: string[], seconds: number, t: number, halfLifeDays: number): InterestState {
  if (!(seconds > 0 && Number.isFinite(seconds) && Number.isFinite(t))) return state;
  const out = { ...state };
  for (const tag of tags) if (tag !== UNSAFE) combine(out, tag, { score: seconds, t }, halfLifeDays);
  return out;
}

/** Both states in one, as if every event of each had been added to a single state. */
export function mergeInterests(a: InterestState, b: InterestState, halfLifeDays: number): InterestState {
  const out = { ...a };
  for (const tag of Object.keys(b)) if (tag !== UNSAFE) combine(out, tag, b[tag] as Score, halfLifeDays);
  return out;
}

/** The decayed scores at `now`, scaled so the top interest is 1; rounded to 3 decimals, the top 50, highest first. */
export function interestScores(state: InterestState, now: number, halfLifeDays: number): Record<string, number> {
  const ranked = rank(state, now, halfLifeDays).slice(0, MAX_SCORES);
  const out: Record<string, number> = {};
  for (const [tag, score] of ranked) {
    const scaled = score / (ranked[0] as [string, number])[1];
    if (scaled >= 0.001) out[tag] = Math.round(scaled * 1000) / 1000;
  }
  return out;
}

/** Keeps the `max` strongest tags as of `now` (default 200), so a site with a tag per article stays bounded in storage. */
export function pruneInterests(state: InterestState, now: number, halfLifeDays: number, max = 200): InterestState {
  const out: InterestState = {};
  for (const [tag] of rank(state, now, halfLifeDays).slice(0, max)) out[tag] = state[tag] as Score;
  return out;
}

// Highest first, only positive finite scores; equal scores by tag, so the cut at a bound is the same on every run.
function rank(state: InterestState, now: number, halfLifeDays: number): Array<[string, number]> {
  return Object.keys(state)
    .map((tag): [string, number] => [tag, decay(state[tag] as Score, now, halfLifeDays)])
    .filter(([, score]) => score > 0 && score < Infinity)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
}

/**
 * A page's tags: its `<meta name="segmint:tags">` ones, then those of every `interests.tags` rule whose test passes
 * on the context. Trimmed, lowercased, deduplicated; a tag over 40 characters is dropped; at most 20.
 */
export function tagsForPage(metaTags: string[], rules: TagRule[], ctx: unknown): string[] {
  const all = metaTags.concat(...rules.filter((rule) => rule.test(ctx)).map((rule) => rule.tags)).map((tag) => tag.trim().toLowerCase());
  return [...new Set(all.filter((tag) => tag && tag.length <= MAX_TAG_LENGTH && tag !== UNSAFE))].slice(0, MAX_PAGE_TAGS);
}
