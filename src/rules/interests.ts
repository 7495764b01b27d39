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
const unsafe = (tag: string) => tag === "__proto__";

const own = (state: InterestState, tag: string): Score | undefined =>
  Object.prototype.hasOwnProperty.call(state, tag) ? state[tag] : undefined;

/** `score` as of `from`, moved to `to`. A half-life that is not positive means no decay. */
function decay(score: number, from: number, to: number, halfLifeDays: number): number {
  return halfLifeDays > 0 ? score * 2 ** (-(to - from) / (halfLifeDays * DAY_MS)) : score;
}

// Sums at the later of the two times, so a score is only ever decayed forward, never amplified.
function combine(a: Score | undefined, b: Score, halfLifeDays: number): Score {
  if (!a) return { score: b.score, t: b.t };
  const t = Math.max(a.t, b.t);
  return { score: decay(a.score, a.t, t, halfLifeDays) + decay(b.score, b.t, t, halfLifeDays), t };
}

/** Adds `seconds` of active dwell at time `t` to each tag; returns a new state (events may come in any order). */
export function addInterest(state: InterestState, tags: string[], seconds: number, t: number, halfLifeDays: number): InterestState {
  if (!(seconds > 0) || !Number.isFinite(seconds) || !Number.isFinite(t)) return state;
  const out = { ...state };
  for (const tag of tags) {
    if (!unsafe(tag)) out[tag] = combine(own(out, tag), { score: seconds, t }, halfLifeDays);
  }
  return out;
}

/** Both states in one, as if every event of each had been added to a single state. */
export function mergeInterests(a: InterestState, b: InterestState, halfLifeDays: number): InterestState {
  const out = { ...a };
  for (const tag of Object.keys(b)) {
    if (!unsafe(tag)) out[tag] = combine(own(out, tag), b[tag] as Score, halfLifeDays);
  }
  return out;
}

/** The decayed scores at `now`, scaled so the top interest is 1; rounded to 3 decimals, the top 50, highest first. */
export function interestScores(state: InterestState, now: number, halfLifeDays: number): Record<string, number> {
  const ranked = rank(state, now, halfLifeDays);
  const top = ranked[0]?.[1] ?? 0;
  const out: Record<string, number> = {};
  if (!(top > 0)) return out;
  for (const [tag, score] of ranked.slice(0, MAX_SCORES)) {
    const scaled = score / top;
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

// Highest first; equal scores by tag, so the cut at a bound is the same on every run.
function rank(state: InterestState, now: number, halfLifeDays: number): Array<[string, number]> {
  return Object.keys(state)
    .map((tag): [string, number] => {
      const s = state[tag] as Score;
      return [tag, decay(s.score, s.t, now, halfLifeDays)];
    })
    .filter(([, score]) => score > 0 && Number.isFinite(score))
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
}

/**
 * A page's tags: its `<meta name="segmint:tags">` ones, then those of every `interests.tags` rule whose test passes
 * on the context. Trimmed, lowercased, deduplicated; a tag over 40 characters is dropped; at most 20.
 */
export function tagsForPage(metaTags: string[], rules: TagRule[], ctx: unknown): string[] {
  const all = metaTags.concat(...rules.filter((rule) => rule.test(ctx)).map((rule) => rule.tags));
  const out: string[] = [];
  for (const raw of all) {
    const tag = raw.trim().toLowerCase();
    if (tag && tag.length <= MAX_TAG_LENGTH && !unsafe(tag) && !out.includes(tag)) out.push(tag);
    if (out.length === MAX_PAGE_TAGS) break;
  }
  return out;
}
