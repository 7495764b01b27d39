// The playground's visit builder: steps a person clicks together ("a page view of /pricing", "back 3 days later")
// appended to a visit history as `segmint simulate` reads it (DESIGN §1). Pure: the clock comes in as an argument.
import { isObj, NAME_PATTERN } from "../../src/rules/references";
import type { Json } from "../../src/rules/types";

/** One thing the simulated visitor does. */
export type VisitStep =
  | { kind: "pageview"; path: string }
  | { kind: "search"; query: string }
  | { kind: "dwell"; seconds: number; path: string }
  | { kind: "event"; type: string; value?: number }
  | { kind: "return"; days: number }
  | { kind: "trait"; name: string; value: Json }
  | { kind: "landing"; url: string; referrer: string };

/** A history after a step, or why the step cannot be taken. */
export type StepResult = { ok: true; history: Record<string, unknown> } | { ok: false; message: string };

const SECOND = 1000;
const DAY = 86_400_000;
// A person reads a page for a while before the next one; short enough to stay in one 30-minute session.
const STEP_MS = 30 * SECOND;
const ORIGIN = "https://example.com";
// The SDK's own cut for a search query (track/search.ts).
const MAX_QUERY = 200;

/**
 * Takes `step` on a parsed history (anything JSON.parse returned): returns a new history with the step's events
 * appended after the latest time in it (or at `clock` when it has none) and `now` moved to the step's time.
 */
export function applyStep(history: unknown, step: VisitStep, clock: number): StepResult {
  if (!isObj(history)) return fail('the history must be an object like { "events": [] }');
  const events = history.events ?? [];
  if (!Array.isArray(events)) return fail('"events" must be a list');
  const latest = latestTime(history);
  const next = latest === undefined ? clock : latest + STEP_MS;
  const path = lastPath(events) ?? "/";
  const at = (t: number, event: Record<string, Json>) => ({ ...history, now: iso(t), events: [...events, { t: iso(t), ...event }] });
  switch (step.kind) {
    case "pageview": {
      const target = toPath(step.path);
      return target ? ok(at(next, { type: "pageview", path: target })) : fail(`"${step.path}" is not a path or URL`);
    }
    case "search":
      return search(history, events, next, step.query);
    case "dwell": {
      const target = toPath(step.path || path);
      if (!target) return fail(`"${step.path}" is not a path or URL`);
      if (!(step.seconds > 0 && Number.isFinite(step.seconds))) return fail("dwell needs a number of seconds above 0");
      // The SDK records dwell when a span of active time ends.
      return ok(at((latest ?? clock) + step.seconds * SECOND, { type: "dwell", path: target, seconds: step.seconds }));
    }
    case "event":
      if (!/^[A-Za-z_][\w.-]*$/.test(step.type)) return fail("an event type is a word such as signup or purchase");
      return ok(at(next, { type: step.type, path, ...(step.value === undefined ? {} : { value: step.value }) }));
    case "return":
      if (!(step.days > 0 && Number.isFinite(step.days))) return fail("come back after a number of days above 0");
      return ok({ ...history, now: iso((latest ?? clock) + step.days * DAY) });
    case "trait":
      return trait(history, step.name, step.value);
    case "landing":
      return landing(history, step.url, step.referrer);
  }
}

// A search through the site's search form: its results page, then the search (what the SDK records).
function search(history: Record<string, unknown>, events: unknown[], t: number, raw: string): StepResult {
  const query = raw.replace(/\s+/g, " ").trim().slice(0, MAX_QUERY);
  if (!query) return fail("a search needs a query");
  const when = iso(t);
  const added = [{ t: when, type: "pageview", path: "/search/" }, { t: when, type: "search", path: "/search/", query }];
  return ok({ ...history, now: when, events: [...events, ...added] });
}

function trait(history: Record<string, unknown>, name: string, value: Json): StepResult {
  if (!NAME_PATTERN.test(name)) return fail("a trait name is letters, digits and _, not starting with a digit");
  const traits = isObj(history.traits) ? { ...history.traits } : {};
  // An own property whatever the name: assignment to a "__proto__" key would set the prototype instead.
  Object.defineProperty(traits, name, { value, enumerable: true, writable: true, configurable: true });
  return ok({ ...history, traits });
}

// Where the visitor is now, and where they came from: simulate records `page` as a page view at `now`.
function landing(history: Record<string, unknown>, rawUrl: string, rawReferrer: string): StepResult {
  const url = toUrl(rawUrl);
  if (!url) return fail(`"${rawUrl}" is not a path or an http(s) URL`);
  const referrer = rawReferrer.trim() === "" ? "" : toUrl(rawReferrer, false);
  if (referrer === undefined) return fail(`"${rawReferrer}" is not an http(s) URL`);
  return ok({ ...history, page: { url, referrer } });
}

/** A trait value as typed: JSON when it is JSON (`42`, `true`, `["a"]`), else the text itself. */
export function parseTraitValue(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

/** The latest time in a history (`now` and the events' `t`), or undefined when it has none. */
export function latestTime(history: Record<string, unknown>): number | undefined {
  const events = Array.isArray(history.events) ? history.events : [];
  const times = [history.now, ...events.map((e: unknown) => (isObj(e) ? e.t : undefined))].map(toTime).filter((t) => t !== undefined);
  return times.length ? Math.max(...times) : undefined;
}

function toTime(value: unknown): number | undefined {
  const t = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

function lastPath(events: unknown[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (isObj(e) && e.type === "pageview" && typeof e.path === "string") return e.path;
  }
  return undefined;
}

/** The path of a path or URL as the SDK records it (`pricing` → `/pricing`), or undefined when it is neither. */
function toPath(raw: string): string | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  const url = parseUrl(/^[a-z][a-z\d+.-]*:/i.test(text) || text.startsWith("/") ? text : `/${text}`);
  return url ? url.pathname : undefined;
}

/** An absolute http(s) URL; a path (when `paths`) is put on the simulated site's origin. */
function toUrl(raw: string, paths = true): string | undefined {
  const text = raw.trim();
  if (!text || (!paths && !/^https?:/i.test(text))) return undefined;
  return parseUrl(text)?.href;
}

// Only http(s): a history URL is never followed, but it is parsed as a page, and nothing else is one.
function parseUrl(text: string): URL | undefined {
  try {
    const url = new URL(text, ORIGIN);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

function ok(history: Record<string, unknown>): StepResult {
  return { ok: true, history };
}

function fail(message: string): StepResult {
  return { ok: false, message };
}

/**
 * A history as JSON text that reads like a log: top-level keys one per line, each event on a line of its own.
 * Keys keep their order (`now`, `page`, `traits` first when they are new).
 */
export function formatHistory(history: Record<string, unknown>): string {
  const lines = Object.entries(ordered(history)).map(([key, value]) => {
    const body = key === "events" && Array.isArray(value) && value.length
      ? `[\n${value.map((e: unknown) => `    ${compact(e)}`).join(",\n")}\n  ]`
      : compact(value);
    return `  ${JSON.stringify(key)}: ${body}`;
  });
  return lines.length ? `{\n${lines.join(",\n")}\n}\n` : "{}\n";
}

const FIRST_KEYS = ["now", "page", "traits"];

function ordered(history: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(history);
  const first = FIRST_KEYS.filter((k) => keys.includes(k));
  const out: Record<string, unknown> = {};
  for (const key of [...first, ...keys.filter((k) => !FIRST_KEYS.includes(k) && k !== "events"), ...(keys.includes("events") ? ["events"] : [])]) {
    Object.defineProperty(out, key, { value: history[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** JSON on one line, with a space after `:` and `,` as people write it. */
function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(", ")}]`;
  if (isObj(value)) {
    const members = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`);
    return members.length ? `{ ${members.join(", ")} }` : "{}";
  }
  return JSON.stringify(value) ?? "null";
}
