// Pure builders for parts of the context document (DESIGN §3). Time arrives as an argument; `Date` is only used
// to split a given instant into calendar fields, never to read the clock.

import type { Context, TimeInfo, VisitorInfo } from "./types";

const DAY_MS = 86_400_000;

/** Copies deeper than this are cut (their value becomes null): context data is JSON, never this deep. */
const MAX_DEPTH = 64;

/** What the store keeps about a visitor, from which `VisitorInfo` is derived. */
export interface VisitorRecord {
  id: string;
  firstSeen: number;
  lastSeen: number;
  sessions: number;
  pageviews: number;
  seconds: number;
}

/**
 * The visitor's local time at `now`: hour 0-23, weekday 0-6 (0 = Sunday), month 1-12, date "YYYY-MM-DD", given the
 * offset as `Date#getTimezoneOffset` reports it (minutes, positive west of UTC).
 */
export function timeInfo(now: number, timezoneOffsetMinutes: number): TimeInfo {
  // Shifting the instant by the offset and reading UTC fields gives local fields without the host's own timezone.
  const local = new Date(now - timezoneOffsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return {
    hour: local.getUTCHours(),
    weekday: local.getUTCDay(),
    month,
    // years before 0 (and an invalid time's NaN) are written as they are
    date: `${year >= 0 ? pad(year, 4) : year}-${pad(month)}-${pad(local.getUTCDate())}`,
  };
}

/** Whole days from `from` to `now` (24-hour periods, rounded down, never negative). */
function wholeDays(from: number, now: number): number {
  return Math.max(0, Math.floor((now - from) / DAY_MS));
}

/**
 * The `visitor` part of the context at `now`: the stored record plus whole days since first and last seen, and
 * `returning` (more than one session). Pass `lastSeen` as it was before the current session, so that
 * `daysSinceLastSeen` says how long the visitor was away.
 */
export function visitorInfo(visitor: VisitorRecord, now: number): VisitorInfo {
  return {
    id: visitor.id,
    firstSeen: visitor.firstSeen,
    lastSeen: visitor.lastSeen,
    daysSinceFirstSeen: wholeDays(visitor.firstSeen, now),
    daysSinceLastSeen: wholeDays(visitor.lastSeen, now),
    sessions: visitor.sessions,
    pageviews: visitor.pageviews,
    seconds: visitor.seconds,
    returning: visitor.sessions > 1,
  };
}

/** A deep, frozen copy of JSON-like data. Keys are defined, not assigned, so an own `__proto__` key stays a key. */
function frozenCopy(value: unknown, depth: number): unknown {
  const copy = (item: unknown) => frozenCopy(item, depth + 1);
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return null;
  return Object.freeze(Array.isArray(value) ? value.map(copy) : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)])));
}

/** A read-only copy of a context for `context()`: deep-copied, so later evaluations never show through, and frozen. */
export function freezeContext(ctx: Context): Context {
  return frozenCopy(ctx, 0) as Context;
}
