// Metrics as incremental daily rollups (DESIGN §2): each metric keeps only the aggregates its kind needs, per local
// day for a windowed metric and in one all-time bucket otherwise, so pruning raw events never changes a metric and a
// re-evaluation never rescans the event log. An event is added as a one-event bucket, so adding and merging are the
// same field-by-field combination.

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
  /** Distinct values, stringified (strings as they are, others as JSON), at most MAX_DISTINCT. */
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

/** A bucket, and a window of buckets, keeps at most this many distinct values; past it `distinct` undercounts. */
export const MAX_DISTINCT = 1000;

const DAY_MS = 86_400_000;

type Field = keyof Bucket;

/** The bucket field a kind keeps its aggregate in, where that is not the kind's own name. */
const ALIAS: Partial<Record<MetricKind, Field>> = { avg: "sum", distinct: "values", daysSince: "lastT" };

// non-numeric values (a string "19.99", a boolean) are ignored rather than coerced
const numeric = (value: Json) => (Number.isFinite(value) ? (value as number) : undefined);
const stamp = (value: Json, t: number): Stamped => ({ value, t });
const add = (a: number, b: number) => a + b;
// A sum saturates rather than overflowing to Infinity, which JSON would store as null: a metric stays a number
// that still compares as huge, and the archive round-trips.
const addFinite = (a: number, b: number) => Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, a + b));

/**
 * Per bucket field: what one event with `value` at time `t` adds (undefined: the value is unusable), and how the
 * aggregates of older and newer events combine. Combining never mutates either side: merged rollups share arrays and
 * stamped values.
 */
const FIELDS: { [F in Field]-?: [entry: (value: Json, t: number) => Bucket[F], merge: (older: NonNullable<Bucket[F]>, newer: NonNullable<Bucket[F]>) => NonNullable<Bucket[F]>] } = {
  count: [() => 1, add],
  sum: [numeric, addFinite],
  min: [numeric, Math.min],
  max: [numeric, Math.max],
  lastT: [(_, t) => t, Math.max],
  // ties in time: the first recorded stays first, the last recorded becomes last
  first: [stamp, (a, b) => (b.t < a.t ? b : a)],
  last: [stamp, (a, b) => (b.t < a.t ? a : b)],
  // compared on their first 200 characters; a Set keeps merging a window's days linear
  values: [
    (value) => [(typeof value == "string" ? value : JSON.stringify(value)).slice(0, 200)],
    (a, b) => {
      const all = new Set(a.concat(b));
      return all.size > a.length ? [...all].slice(0, MAX_DISTINCT) : a;
    },
  ],
};

/** Combines `value` into one field of `bucket` (changing the bucket only). */
function put(bucket: Bucket, field: Field, value: unknown): void {
  const b = bucket as unknown as Record<string, unknown>;
  b[field] = Object.prototype.hasOwnProperty.call(b, field) ? (FIELDS[field][1] as (a: unknown, b: unknown) => unknown)(b[field], value) : value;
}

/** Folds bucket `b` (newer events) into bucket `a` (older events), changing `a` only. */
// Own keys only, here and below: for…in would also walk what a page added to Object.prototype.
function fold(a: Bucket, b: Bucket): Bucket {
  for (const field of Object.keys(b)) put(a, field as Field, b[field as Field]);
  return a;
}

/** A definition taken apart: the field it keeps, the event type it counts, the prop path of its value (none for count/daysSince). */
interface Parsed {
  kind: MetricKind;
  field: Field;
  type: string;
  path: string[] | undefined;
}

let parsedCache: WeakMap<MetricDef, Parsed> | undefined;

/**
 * `count: "pageview"` → type pageview; `sum: "purchase.item.price"` → type purchase, path item.price. Parsed once per
 * definition object (addEvent is on the hot path).
 */
function parse(def: MetricDef): Parsed {
  const cache = (parsedCache ||= new WeakMap());
  let parsed = cache.get(def);
  if (!parsed) {
    // the schema allows exactly one kind key beside `where` and `withinDays`
    const kind = (Object.keys(def) as MetricKind[]).find((k) => k in FIELDS || k in ALIAS) ?? "count";
    const target = def[kind] ?? "";
    // count/daysSince name a whole event type, which may itself contain dots (`video.play`)
    const whole = kind == "count" || kind == "daysSince";
    const [type = "", ...path] = whole ? [target] : target.split(".");
    parsed = { kind, field: ALIAS[kind] ?? (kind as Field), type, path: whole ? undefined : path };
    cache.set(def, parsed);
  }
  return parsed;
}

/** The event type a metric reads: "purchase" for `sum: "purchase.value"`, "video.play" for `count: "video.play"`. */
export const metricEventType = (def: MetricDef): string => parse(def).type;

/** A new, empty rollup. */
export function emptyRollup(): Rollup {
  return { buckets: {} };
}

/**
 * Adds one event to a metric's rollup when it matches (same type, `where` passes, a usable value) and returns the
 * SAME rollup, mutated: this runs for every metric on every event. `day` is the event's local day (`dayNumber`).
 */
export function addEvent(rollup: Rollup, spec: MetricSpec, event: SegmintEvent, day: number): Rollup {
  const { field, type, path } = parse(spec.def);
  // a value at a non-empty path of own properties
  const value = path
    ? path.reduce<unknown>((cur, key) => (cur instanceof Object && Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : undefined), path[0] && event)
    : null;
  const entry = event.type == type && value !== undefined ? FIELDS[field][0](value as Json, event.t) : undefined;
  if (entry !== undefined && (!spec.where || spec.where(event))) {
    const bucket = bucketAt(rollup, spec.def.withinDays ? day : "all");
    if (field != "count") bucket.count++;
    put(bucket, field, entry);
  }
  return rollup;
}

/**
 * A new rollup with the events of both: `a` the older ones (say, the archive of pruned events), `b` the newer ones.
 * Neither input is changed.
 */
export function mergeRollups(a: Rollup, b: Rollup): Rollup {
  const out = emptyRollup();
  for (const { buckets } of [a, b]) for (const key of Object.keys(buckets)) fold(bucketAt(out, key), buckets[key] as Bucket);
  return out;
}

/** The rollup's own bucket under `key`, created empty when missing (never one a page put on Object.prototype). */
function bucketAt(rollup: Rollup, key: string | number): Bucket {
  const { buckets } = rollup;
  return Object.prototype.hasOwnProperty.call(buckets, key) ? (buckets[key] as Bucket) : (buckets[key] = { count: 0 });
}

/**
 * A metric's value at `now` (epoch ms), `today` being now's local day number. With no matching event: 0 for
 * `count`, `sum` and `distinct`, null for the others. `avg` is sum/count; `daysSince` is whole days since the last
 * matching event (never negative). Sums saturate at ±Number.MAX_VALUE, so every value is finite.
 *
 * Window rule: a metric with `withinDays: n` counts the local days `day > today - n`, i.e. today and the n-1 days
 * before it (a day-aligned window, not a rolling 24·n hours). Days after `today` (events stamped ahead of the `now`
 * passed in) count too.
 */
export function metricValue(spec: MetricSpec, rollup: Rollup, now: number, today: number): Json {
  const { withinDays } = spec.def;
  const { kind, field } = parse(spec.def);
  const total: Bucket = { count: 0 };
  // "all" is never inside a window: Number("all") is NaN
  for (const key of Object.keys(rollup.buckets)) if (!withinDays || Number(key) > today - withinDays) fold(total, rollup.buckets[key] as Bucket);
  const { count, [field]: acc } = total;
  if (kind == "distinct") return (acc as string[] | undefined)?.length ?? 0;
  if (kind == "avg") return count ? (acc as number) / count : null;
  if (acc === undefined) return kind == "sum" ? 0 : null;
  if (kind == "daysSince") return Math.max(0, Math.floor((now - (acc as number)) / DAY_MS));
  return typeof acc == "object" ? (acc as Stamped).value : acc; // count, sum, min, max, first, last
}

/**
 * Drops the day buckets before `oldestDayToKeep` (for a metric with `withinDays: n`, pass `today - n + 1`), so a
 * stored rollup stays bounded. The all-time bucket is kept (Number("all") is NaN). Returns the same rollup, mutated.
 */
export function pruneRollup(rollup: Rollup, oldestDayToKeep: number): Rollup {
  for (const key of Object.keys(rollup.buckets)) if (Number(key) < oldestDayToKeep) delete rollup.buckets[key];
  return rollup;
}

/**
 * The local calendar day of epoch-ms `t` as a day count since 1970-01-01, given the offset in minutes as
 * `Date#getTimezoneOffset` reports it (positive west of UTC). Pass each event's own offset: DST moves it.
 */
export function dayNumber(t: number, timezoneOffsetMinutes: number): number {
  return Math.floor((t - timezoneOffsetMinutes * 60_000) / DAY_MS);
}
