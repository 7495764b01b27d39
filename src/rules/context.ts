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
 * The visitor's local time at `now`: hour 0-23, weekday 0-6 (0 = Sunday), month 1-12, date "YYYY-MM-DD" (years
 * 0-9999), given the offset as `Date#getTimezoneOffset` reports it (minutes, positive west of UTC).
 */
export function timeInfo(now: number, timezoneOffsetMinutes: number): TimeInfo {
  // Shifting the instant by the offset and reading UTC fields gives local fields without the host's own timezone.
  const local = new Date(now - timezoneOffsetMinutes * 60_000);
  return {
    hour: local.getUTCHours(),
    weekday: local.getUTCDay(),
    month: local.getUTCMonth() + 1,
    // toJSON, unlike toISOString, does not throw for an invalid time: its date reads "null"
    date: String(local.toJSON()).slice(0, 10),
  };
}

/**
 * The `visitor` part of the context at `now`: the stored record plus whole days (24-hour periods, rounded down, never
 * negative) since first and last seen, and `returning` (more than one session). Pass `lastSeen` as it was before the
 * current session, so that `daysSinceLastSeen` says how long the visitor was away.
 */
export function visitorInfo(visitor: VisitorRecord, now: number): VisitorInfo {
  const days = (from: number) => Math.max(0, Math.floor((now - from) / DAY_MS));
  return {
    ...visitor,
    daysSinceFirstSeen: days(visitor.firstSeen),
    daysSinceLastSeen: days(visitor.lastSeen),
    returning: visitor.sessions > 1,
  };
}

/** A deep, frozen copy of JSON-like data. Keys are defined, not assigned, so an own `__proto__` key stays a key. */
function frozenCopy(value: unknown, depth = 0): unknown {
  const copy = (item: unknown) => frozenCopy(item, depth + 1);
  return value === null || typeof value != "object" ? value
    : depth > MAX_DEPTH ? null
    : Object.freeze(Array.isArray(value) ? value.map(copy) : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)])));
}

/** A read-only copy of a context for `context()`: deep-copied, so later evaluations never show through, and frozen. */
export const freezeContext = (ctx: Context): Context => frozenCopy(ctx) as Context;
