// Metrics as incremental daily rollups (DESIGN §2): each metric keeps only the aggregates its kind needs, per local
// day for a windowed metric and in one all-time bucket otherwise, so pruning raw events never changes a metric and a
// re-evaluation never rescans the event log.

import type { Json, MetricDef, MetricKind, SegmintEvent } from "./types";

/** A metric as the runtime holds it: its name, its definition and its compiled `where` (absent: every event). */
export interface MetricSpec {
  name: string;
  def: MetricDef;
  where?: ((event: SegmintEvent) => boolean) | undefined;
}

/** A value with the time of the event it came from. */
export interface Stamped {
  value: Json;
  t: number;
}

/**
 * The aggregates of one bucket. Only the fields the metric's kind uses are written, so a `count` bucket is
 * `{ count }`. `count` is the number of events that contributed: every match for `count`/`daysSince`/`first`/`last`/
 * `distinct`, and only those with a finite numeric value for `sum`/`avg`/`min`/`max`.
 */
export interface Bucket {
  count: number;
  sum?: number;
  min?: number;
  max?: number;
  first?: Stamped;
  last?: Stamped;
  /** Distinct values, stringified (strings as they are, others as JSON), at most MAX_DISTINCT per bucket. */
  values?: string[];
  /** Time of the latest matching event, for `daysSince`. */
  lastT?: number;
}

/**
 * A metric's stored state, JSON-serialisable. `buckets` is keyed by local day number (see `dayNumber`) for a metric
 * with `withinDays`, and has the single key `"all"` otherwise. A rollup belongs to one definition: when a metric's
 * definition changes, start from `emptyRollup()` and replay the stored events.
 */
export interface Rollup {
  buckets: Record<string, Bucket>;
}

/** The all-time bucket's key. */
const ALL = "all";

/** A bucket keeps at most this many distinct values; past it `distinct` undercounts (new values are not recorded). */
export const MAX_DISTINCT = 1000;

/** Stringified values are compared on their first this-many characters. */
const MAX_DISTINCT_LENGTH = 200;

const DAY_MS = 86_400_000;

/** The metric kinds, in the order a definition is searched for its kind key. */
const KINDS: readonly MetricKind[] = ["count", "sum", "avg", "min", "max", "distinct", "first", "last", "daysSince"];

/** A definition taken apart: its kind, the event type it counts and the prop path of its value (none for count/daysSince). */
interface Parsed {
  kind: MetricKind;
  type: string;
  path: string[] | null;
  windowed: boolean;
}

let parsedCache: WeakMap<MetricDef, Parsed> | undefined;

/** Parses `def` once per definition object (addEvent is on the hot path). */
function parse(def: MetricDef): Parsed {
  parsedCache ??= new WeakMap();
  let parsed = parsedCache.get(def);
  if (!parsed) {
    parsed = parseDef(def);
    parsedCache.set(def, parsed);
  }
  return parsed;
}

/** `count: "pageview"` → type pageview; `sum: "purchase.item.price"` → type purchase, path item.price. */
function parseDef(def: MetricDef): Parsed {
  const kind = KINDS.find((k) => typeof def[k] === "string") ?? "count";
  const target = def[kind] ?? "";
  const windowed = typeof def.withinDays === "number";
  // count/daysSince name a whole event type, which may itself contain dots (`video.play`)
  if (kind === "count" || kind === "daysSince") return { kind, type: target, path: null, windowed };
  const dot = target.indexOf(".");
  if (dot < 0) return { kind, type: target, path: null, windowed };
  return { kind, type: target.slice(0, dot), path: target.slice(dot + 1).split("."), windowed };
}

/** A new, empty rollup. */
export function emptyRollup(): Rollup {
  return { buckets: {} };
}

/** The value at an own-property path of the event, or undefined. */
function readPath(event: SegmintEvent, path: readonly string[]): Json | undefined {
  let cur: unknown = event;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur as Json | undefined;
}

/** A value as a distinct-set member. */
function distinctKey(value: Json): string {
  const s = typeof value === "string" ? value : JSON.stringify(value);
  return s.length > MAX_DISTINCT_LENGTH ? s.slice(0, MAX_DISTINCT_LENGTH) : s;
}

/** The value this event contributes, or undefined when it contributes nothing to this kind. */
function eventValue(parsed: Parsed, event: SegmintEvent): Json | undefined {
  if (!parsed.path) return parsed.kind === "count" || parsed.kind === "daysSince" ? null : undefined;
  const value = readPath(event, parsed.path);
  if (value === undefined) return undefined;
  const numeric = parsed.kind === "sum" || parsed.kind === "avg" || parsed.kind === "min" || parsed.kind === "max";
  // non-numeric values (a string "19.99", a boolean) are ignored rather than coerced
  if (numeric && (typeof value !== "number" || !Number.isFinite(value))) return undefined;
  return value;
}

/** Folds one contributing value into a bucket. */
function fold(bucket: Bucket, kind: MetricKind, value: Json, t: number): void {
  bucket.count++;
  if (kind === "sum" || kind === "avg") bucket.sum = (bucket.sum ?? 0) + (value as number);
  else if (kind === "min") bucket.min = bucket.min === undefined ? (value as number) : Math.min(bucket.min, value as number);
  else if (kind === "max") bucket.max = bucket.max === undefined ? (value as number) : Math.max(bucket.max, value as number);
  // ties in time: the first recorded stays first, the last recorded becomes last
  else if (kind === "first") { if (!bucket.first || t < bucket.first.t) bucket.first = { value, t }; }
  else if (kind === "last") { if (!bucket.last || t >= bucket.last.t) bucket.last = { value, t }; }
  else if (kind === "distinct") addDistinct(bucket, [distinctKey(value)]);
  else if (kind === "daysSince") bucket.lastT = bucket.lastT === undefined ? t : Math.max(bucket.lastT, t);
}

/** Adds values to a bucket's distinct set, up to MAX_DISTINCT. */
function addDistinct(bucket: Bucket, keys: readonly string[]): void {
  const values = (bucket.values ??= []);
  for (const key of keys) {
    if (values.length >= MAX_DISTINCT) return;
    if (!values.includes(key)) values.push(key);
  }
}

/**
 * Adds one event to a metric's rollup when it matches (same type, `where` passes, a usable value) and returns the
 * SAME rollup, mutated: this runs for every metric on every event. `day` is the event's local day (`dayNumber`).
 */
export function addEvent(rollup: Rollup, spec: MetricSpec, event: SegmintEvent, day: number): Rollup {
  const parsed = parse(spec.def);
  if (event.type !== parsed.type) return rollup;
  const value = eventValue(parsed, event);
  if (value === undefined || (spec.where && !spec.where(event))) return rollup;
  const key = parsed.windowed ? String(day) : ALL;
  const bucket = (rollup.buckets[key] ??= { count: 0 });
  fold(bucket, parsed.kind, value, event.t);
  return rollup;
}

/** The earlier of two stamped values; on a tie `a` (the older rollup) wins. */
function earlier(a: Stamped | undefined, b: Stamped | undefined): Stamped | undefined {
  return !a || (b && b.t < a.t) ? b : a;
}

/** The later of two stamped values; on a tie `b` (the newer rollup) wins. */
function later(a: Stamped | undefined, b: Stamped | undefined): Stamped | undefined {
  return !a || (b && b.t >= a.t) ? b : a;
}

/** Combines two optional numbers with `f`, keeping whichever exists. */
function combine(a: number | undefined, b: number | undefined, f: (x: number, y: number) => number): number | undefined {
  return a === undefined ? b : b === undefined ? a : f(a, b);
}

/** Merges bucket `b` (newer events) into a copy of bucket `a` (older events). */
function mergeBucket(a: Bucket, b: Bucket): Bucket {
  const out: Bucket = { count: a.count + b.count };
  const set = <K extends keyof Bucket>(key: K, value: Bucket[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set("sum", combine(a.sum, b.sum, (x, y) => x + y));
  set("min", combine(a.min, b.min, Math.min));
  set("max", combine(a.max, b.max, Math.max));
  set("first", earlier(a.first, b.first));
  set("last", later(a.last, b.last));
  set("lastT", combine(a.lastT, b.lastT, Math.max));
  if (a.values || b.values) {
    out.values = [];
    addDistinct(out, a.values ?? []);
    addDistinct(out, b.values ?? []);
  }
  return out;
}

/** A deep copy of a bucket (the JSON it is made of). */
function copyBucket(bucket: Bucket): Bucket {
  return JSON.parse(JSON.stringify(bucket)) as Bucket;
}

/**
 * A new rollup with the events of both: `a` the older ones (say, the archive of pruned events), `b` the newer ones.
 * Neither input is changed.
 */
export function mergeRollups(a: Rollup, b: Rollup): Rollup {
  const out = emptyRollup();
  for (const key of Object.keys(a.buckets)) out.buckets[key] = copyBucket(a.buckets[key] as Bucket);
  for (const key of Object.keys(b.buckets)) {
    const mine = out.buckets[key];
    const theirs = b.buckets[key] as Bucket;
    out.buckets[key] = mine ? mergeBucket(mine, theirs) : copyBucket(theirs);
  }
  return out;
}

/**
 * The buckets that count now. Window rule: a metric with `withinDays: n` counts the local days
 * `day > today - n`, i.e. today and the n-1 days before it (a day-aligned window, not a rolling 24·n hours).
 * Days after `today` (events stamped ahead of the `now` passed in) count too.
 */
function liveBuckets(parsed: Parsed, def: MetricDef, rollup: Rollup, today: number): Bucket[] {
  if (!parsed.windowed) {
    const all = rollup.buckets[ALL];
    return all ? [all] : [];
  }
  const from = today - (def.withinDays as number);
  const live: Bucket[] = [];
  for (const key of Object.keys(rollup.buckets)) {
    if (key !== ALL && Number(key) > from) live.push(rollup.buckets[key] as Bucket);
  }
  return live;
}

/** Sum of one numeric field over buckets. */
function total(buckets: readonly Bucket[], field: "count" | "sum"): number {
  let n = 0;
  for (const b of buckets) n += b[field] ?? 0;
  return n;
}

/** The smallest or largest of one numeric field over buckets, or null when none has it. */
function extreme(buckets: readonly Bucket[], field: "min" | "max" | "lastT"): number | null {
  let best: number | null = null;
  for (const b of buckets) {
    const v = b[field];
    if (v !== undefined && (best === null || (field === "min" ? v < best : v > best))) best = v;
  }
  return best;
}

/** The value of the earliest `first` or the latest `last` over buckets (buckets come oldest day first), or null. */
function stamped(buckets: readonly Bucket[], field: "first" | "last"): Json {
  let best: Stamped | undefined;
  for (const b of buckets) best = field === "first" ? earlier(best, b.first) : later(best, b.last);
  return best ? best.value : null;
}

/** The number of distinct values over buckets (exact while each bucket holds at most MAX_DISTINCT). */
function distinctCount(buckets: readonly Bucket[]): number {
  if (buckets.length === 1) return buckets[0]?.values?.length ?? 0;
  const seen = new Set<string>();
  for (const b of buckets) for (const v of b.values ?? []) seen.add(v);
  return seen.size;
}

/**
 * A metric's value at `now` (epoch ms), `today` being now's local day number. With no matching event: 0 for
 * `count`, `sum` and `distinct`, null for the others. `avg` is sum/count; `daysSince` is whole days since the last
 * matching event (never negative).
 */
export function metricValue(spec: MetricSpec, rollup: Rollup, now: number, today: number): Json {
  const parsed = parse(spec.def);
  const live = liveBuckets(parsed, spec.def, rollup, today);
  switch (parsed.kind) {
    case "count": return total(live, "count");
    case "sum": return total(live, "sum");
    case "avg": {
      const count = total(live, "count");
      return count > 0 ? total(live, "sum") / count : null;
    }
    case "min":
    case "max": return extreme(live, parsed.kind);
    case "first":
    case "last": return stamped(live, parsed.kind);
    case "distinct": return distinctCount(live);
    case "daysSince": {
      const lastT = extreme(live, "lastT");
      return lastT === null ? null : Math.max(0, Math.floor((now - lastT) / DAY_MS));
    }
  }
}

/**
 * Drops the day buckets before `oldestDayToKeep` (for a metric with `withinDays: n`, pass `today - n + 1`), so a
 * stored rollup stays bounded. The all-time bucket is kept. Returns the same rollup, mutated.
 */
export function pruneRollup(rollup: Rollup, oldestDayToKeep: number): Rollup {
  for (const key of Object.keys(rollup.buckets)) {
    if (key !== ALL && Number(key) < oldestDayToKeep) delete rollup.buckets[key];
  }
  return rollup;
}

/**
 * The local calendar day of epoch-ms `t` as a day count since 1970-01-01, given the offset in minutes as
 * `Date#getTimezoneOffset` reports it (positive west of UTC). Pass each event's own offset: DST moves it.
 */
export function dayNumber(t: number, timezoneOffsetMinutes: number): number {
  return Math.floor((t - timezoneOffsetMinutes * 60_000) / DAY_MS);
}
