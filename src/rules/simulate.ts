// `segmint simulate` and the playground: a visit history in, what the SDK would decide out. Pure, so the
// CLI, the demo's playground and the tests all run exactly the engine the browser runs.
import { createEngine, type SegmentExplanation } from "./engine";
import { compileExperiences, type ExperienceDecision } from "./experiences";
import { classifyReferrer, parseClickId, parsePage, parseUtm } from "./referrer";
import type { Context, DeviceInfo, Json, Rules, SegmintEvent } from "./types";

/** A visit history as `segmint simulate` reads it (DESIGN §1). Times are ISO strings or epoch ms. */
export interface History {
  now?: string | number;
  page?: { url: string; title?: string; referrer?: string };
  traits?: Record<string, Json>;
  visitorId?: string;
  timezoneOffsetMinutes?: number;
  events: Array<{ t: string | number; type: string; path?: string; [prop: string]: Json | undefined }>;
}

/** What the visitor of a history gets. */
export interface Simulation {
  context: Context;
  segments: string[];
  metrics: Record<string, Json>;
  experiences: Array<Pick<ExperienceDecision, "id" | "state" | "variant" | "reason">>;
  explain: SegmentExplanation[];
}

const DESKTOP: DeviceInfo = { type: "desktop", touch: false, language: "en", languages: ["en"], timezone: "UTC", width: 1280, height: 800 };

/** Runs `rules` over `history`: the current page (if given) is recorded as a page view at `now`, as on load. */
export function simulate(rules: Rules, history: History): Simulation {
  const tz = history.timezoneOffsetMinutes ?? 0;
  const now = history.now === undefined ? latest(history) : toTime(history.now);
  const url = history.page?.url ?? `https://example.com${lastPath(history) ?? "/"}`;
  const events = withSessions(history, rules.tracking.sessionTimeoutMinutes, url, now);
  const engine = createEngine(rules, tz);
  engine.load(events, undefined);
  const current = events[events.length - 1];
  const sessionIds = [...new Set(events.map((e) => e.sid))];
  const sid = current?.sid ?? "s1";
  const startedAt = events.find((e) => e.sid === sid)?.t ?? now;
  const env = environment(history, url, { now, sid, startedAt }, sessionIds.length, events[0]?.t ?? now, lastSeenBefore(events, sid));
  const { context } = engine.evaluate(env, [], {});
  const visitorId = history.visitorId ?? "simulated-visitor";
  const decisions = compileExperiences(rules)(context, visitorId, now, {});
  return {
    context,
    segments: context.segments,
    metrics: context.metrics,
    experiences: decisions.map(({ id, state, variant, reason }) => ({ id, state, ...(variant ? { variant } : {}), ...(reason ? { reason } : {}) })),
    explain: rules.segments.flatMap((s) => engine.explain(s.id, context, {}, now) ?? []),
  };
}

// Events get ids and session ids as the SDK would give them: a new session after the time-out.
function withSessions(history: History, timeoutMinutes: number, url: string, now: number): SegmintEvent[] {
  type Raw = { t: number; type: string; path?: string; [prop: string]: Json | undefined };
  const raw: Raw[] = history.events.map((e) => ({ ...e, t: toTime(e.t) }) as Raw).sort((a, b) => a.t - b.t);
  if (history.page) raw.push({ type: "pageview", t: now, path: new URL(url).pathname, title: history.page.title ?? "" });
  let session = 0;
  let last = -Infinity;
  return raw.map((e, index) => {
    if (e.t - last > timeoutMinutes * 60_000) session++;
    last = e.t;
    return { ...e, id: `e${index + 1}`, sid: `s${session}`, path: e.path ?? "/" } as SegmintEvent;
  });
}

interface Moment {
  now: number;
  sid: string;
  startedAt: number;
}

function environment(history: History, url: string, { now, sid, startedAt }: Moment, sessions: number, firstSeen: number, lastSeen: number) {
  const page = parsePage(url, history.page?.title ?? "", history.page?.referrer ?? "", []);
  const utm = parseUtm(page.query);
  const clickId = parseClickId(page.query);
  const referrer = classifyReferrer({ referrer: page.referrer, pageUrl: url, utm, ...(clickId ? { clickId } : {}) });
  return {
    now,
    page,
    session: { id: sid, number: sessions, startedAt, landing: url, referrer, utm, ...(clickId ? { clickId } : {}) },
    visitor: { id: history.visitorId ?? "simulated-visitor", firstSeen, lastSeen, sessions },
    device: DESKTOP,
    traits: history.traits ?? {},
  };
}

function lastSeenBefore(events: readonly SegmintEvent[], sid: string | undefined): number {
  const earlier = events.filter((e) => e.sid !== sid);
  return earlier.length ? (earlier[earlier.length - 1] as SegmintEvent).t : (events[0]?.t ?? 0);
}

function toTime(value: string | number): number {
  return typeof value === "number" ? value : Date.parse(value);
}

function latest(history: History): number {
  return history.events.reduce((max, e) => Math.max(max, toTime(e.t)), 0);
}

function lastPath(history: History): string | undefined {
  const pageviews = history.events.filter((e) => e.type === "pageview" && typeof e.path === "string");
  return pageviews[pageviews.length - 1]?.path;
}
