// The evaluation engine: rules + stored history + the current page → the context document and segments.
// Pure: events, time and the environment arrive as arguments, so the CLI's `simulate` runs it in Node.
import { compileCondition, explainCondition } from "./condition";
import { addEvent, dayNumber, emptyRollup, mergeRollups, metricEventType, metricValue, type MetricSpec, type Rollup } from "./metrics";
import { evaluateSegments } from "./segments";
import { visitorInfo, timeInfo } from "./context";
import { addInterest, interestScores, tagsForPage, type InterestState, type TagRule } from "./interests";
import type {
  Context, DeviceInfo, Json, MetricDef, PageInfo, Rules, SegmintEvent, SessionInfo, ConditionExplanation,
} from "./types";

/** What the browser (or a simulated history) tells the engine about this moment. */
export interface Environment {
  now: number;
  page: PageInfo;
  session: Omit<SessionInfo, "pageviews" | "seconds">;
  visitor: { id: string; firstSeen: number; lastSeen: number; sessions: number };
  device: DeviceInfo;
  traits: Record<string, Json>;
}

/** Metric rollups and interest scores of pruned events, stored beside the event log so pruning changes neither. */
export interface Archive {
  v: 1;
  metrics: Record<string, { key: string; rollup: Rollup }>;
  interests?: InterestState;
}

/** One full evaluation. */
export interface Evaluation {
  context: Context;
  entered: string[];
  exited: string[];
  stickyUntil: Record<string, number>;
}

/** `explain(segmentId)` data. */
export interface SegmentExplanation {
  segment: string;
  member: boolean;
  sticky: boolean;
  conditions: ConditionExplanation[];
}

const RECENT_SEARCHES = 10;
const RECENT_PAGES = 20;

// Built-in counters ride on the metric machinery, so they survive pruning like any metric.
// Their names cannot clash with rules metrics (which match ^[A-Za-z_]…).
const BUILTIN_METRICS: Record<string, MetricDef> = { $pageviews: { count: "pageview" }, $seconds: { sum: "dwell.seconds" } };

/** Creates an engine for one validated rules file. `tzOffsetMinutes` places events in the visitor's local days. */
export function createEngine(rules: Rules, tzOffsetMinutes: number) {
  const specs = metricSpecs(rules);
  const segmentSpecs = rules.segments.map((def) => ({ def, test: compileCondition(def.when, rules.groups) }));
  const tagRules: TagRule[] = rules.interests.tags.map((r) => ({ test: compileCondition(r.when, rules.groups), tags: r.tags }));
  const halfLife = rules.interests.halfLifeDays;
  let rollups = new Map<string, Rollup>();
  // Metric values are cached between evaluations: one event changes only the metrics of its type, and a window
  // moves only when the day changes. daysSince reads the clock, so it is always recomputed (it is cheap).
  let cached = new Map<string, Json>();
  // Each event only touches the metrics that read its type.
  const byType = new Map<string, MetricSpec[]>();
  for (const spec of specs) {
    const type = metricEventType(spec.def);
    byType.set(type, [...(byType.get(type) ?? []), spec]);
  }
  let cachedDay = NaN;
  let interests: InterestState = {};
  let searches: string[] = [];
  let pages: string[] = [];
  let sessionCounts = { sid: "", pageviews: 0, seconds: 0 };

  const dayOf = (t: number) => dayNumber(t, tzOffsetMinutes);

  function add(event: SegmintEvent): void {
    const day = dayOf(event.t);
    for (const spec of byType.get(event.type) ?? []) {
      rollups.set(spec.name, addEvent(rollups.get(spec.name) ?? emptyRollup(), spec, event, day));
      cached.delete(spec.name);
    }
    rememberRecent(event);
    countSession(event);
    interests = withInterest(interests, event, halfLife);
  }

  function rememberRecent(event: SegmintEvent): void {
    if (event.type === "search" && typeof event.query === "string") searches = newestFirst(searches, event.query, RECENT_SEARCHES);
    if (event.type === "pageview") pages = newestFirst(pages, event.path, RECENT_PAGES);
  }

  function countSession(event: SegmintEvent): void {
    if (event.sid !== sessionCounts.sid) sessionCounts = { sid: event.sid, pageviews: 0, seconds: 0 };
    if (event.type === "pageview") sessionCounts.pageviews++;
    if (event.type === "dwell" && typeof event.seconds === "number") sessionCounts.seconds += event.seconds;
  }

  function metricValues(now: number): Record<string, Json> {
    const today = dayOf(now);
    if (today !== cachedDay) (cached = new Map()), (cachedDay = today);
    const values: Record<string, Json> = {};
    for (const spec of specs) {
      let value = cached.get(spec.name);
      if (value === undefined || spec.def.daysSince !== undefined) {
        value = metricValue(spec, rollups.get(spec.name) ?? emptyRollup(), now, today);
        cached.set(spec.name, value);
      }
      values[spec.name] = value;
    }
    return values;
  }

  return {
    /** Replaces the history: the archive of pruned events, then the stored events in time order. */
    load(events: readonly SegmintEvent[], archive: Archive | undefined): void {
      rollups = archivedRollups(specs, archive);
      cached = new Map();
      interests = archive?.interests ?? {};
      searches = [];
      pages = [];
      sessionCounts = { sid: "", pageviews: 0, seconds: 0 };
      for (const event of events) add(event);
    },
    add,
    /** Builds the context and decides segments, in rules order. */
    evaluate(env: Environment, previous: readonly string[], stickyUntil: Record<string, number>, forced?: ReadonlySet<string>): Evaluation {
      const metrics = metricValues(env.now);
      const context = buildContext(env, metrics, sessionCounts, searches, pages, tzOffsetMinutes);
      context.interests = interestScores(interests, env.now, halfLife);
      context.page = { ...context.page, tags: tagsForPage(env.page.tags, tagRules, context) };
      const result = evaluateSegments(segmentSpecs, context, stickyUntil, env.now, previous, forced);
      context.segments = result.ids;
      return { context, entered: result.entered, exited: result.exited, stickyUntil: result.stickyUntil };
    },
    /** Folds events about to be pruned into the archive (the store writes both in one transaction). */
    fold(pruned: readonly SegmintEvent[], archive: Archive | undefined): Archive {
      const folded = archivedRollups(specs, archive);
      let foldedInterests = archive?.interests ?? {};
      for (const event of pruned) {
        for (const spec of specs) folded.set(spec.name, addEvent(folded.get(spec.name) ?? emptyRollup(), spec, event, dayOf(event.t)));
        foldedInterests = withInterest(foldedInterests, event, halfLife);
      }
      return { ...toArchive(specs, folded), interests: foldedInterests };
    },
    /** Each condition of a segment with the value it read, against a context from `evaluate`. */
    explain(segmentId: string, context: Context, stickyUntil: Record<string, number>, now: number): SegmentExplanation | undefined {
      const index = segmentSpecs.findIndex((s) => s.def.id === segmentId);
      const spec = segmentSpecs[index];
      if (!spec) return undefined;
      // A segment saw only the segments decided before it (as evaluate() showed it), not the final list.
      const earlier = new Set(segmentSpecs.slice(0, index).map((s) => s.def.id));
      const seen = { ...context, segments: context.segments.filter((id) => earlier.has(id)) };
      const conditions = explainCondition(seen, spec.def.when, rules.groups);
      const member = context.segments.includes(segmentId);
      return { segment: segmentId, member, sticky: member && !spec.test(seen) && (stickyUntil[segmentId] ?? 0) > now, conditions };
    },
  };
}

/** The engine `createEngine` returns. */
export type Engine = ReturnType<typeof createEngine>;

function metricSpecs(rules: Rules): MetricSpec[] {
  const defs = { ...BUILTIN_METRICS, ...rules.metrics };
  return Object.keys(defs).map((name) => {
    const def = defs[name] as MetricDef;
    return def.where ? { name, def, where: compileCondition(def.where, rules.groups) as MetricSpec["where"] } : { name, def };
  });
}

// An archived rollup is reused only while its metric's definition is unchanged; a changed or new
// metric starts from the raw events still stored (DESIGN §2).
function archivedRollups(specs: readonly MetricSpec[], archive: Archive | undefined): Map<string, Rollup> {
  const rollups = new Map<string, Rollup>();
  for (const spec of specs) {
    const saved = archive?.metrics[spec.name];
    rollups.set(spec.name, saved && saved.key === specKey(spec) ? mergeRollups(emptyRollup(), saved.rollup) : emptyRollup());
  }
  return rollups;
}

function toArchive(specs: readonly MetricSpec[], rollups: Map<string, Rollup>): Archive {
  const metrics: Archive["metrics"] = {};
  for (const spec of specs) metrics[spec.name] = { key: specKey(spec), rollup: rollups.get(spec.name) ?? emptyRollup() };
  return { v: 1, metrics };
}

function specKey(spec: MetricSpec): string {
  return JSON.stringify(spec.def);
}

function buildContext(
  env: Environment,
  values: Record<string, Json>,
  session: { sid: string; pageviews: number; seconds: number },
  searches: string[],
  pages: string[],
  tzOffsetMinutes: number,
): Context {
  const { $pageviews, $seconds, ...metrics } = values;
  const own = session.sid === env.session.id;
  return {
    page: env.page,
    session: { ...env.session, pageviews: own ? session.pageviews : 0, seconds: own ? session.seconds : 0 },
    visitor: visitorInfo({ ...env.visitor, pageviews: Number($pageviews) || 0, seconds: Number($seconds) || 0 }, env.now),
    device: env.device,
    time: timeInfo(env.now, tzOffsetMinutes),
    traits: env.traits,
    interests: {},
    metrics,
    segments: [],
    searches: searches.slice(),
    pages: pages.slice(),
  };
}

// Active dwell on a tagged page feeds its tags' interest scores (dwell events carry the page's tags).
function withInterest(state: InterestState, event: SegmintEvent, halfLifeDays: number): InterestState {
  if (event.type !== "dwell" || typeof event.seconds !== "number" || !Array.isArray(event.tags)) return state;
  const tags = event.tags.filter((t): t is string => typeof t === "string");
  return tags.length ? addInterest(state, tags, event.seconds, event.t, halfLifeDays) : state;
}

function newestFirst(list: string[], value: string, max: number): string[] {
  return [value, ...list.filter((v) => v !== value)].slice(0, max);
}
