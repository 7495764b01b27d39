// The shape of a visit history (DESIGN §1: `{ now?, page?, traits?, events: [{ t, type, path, …props }] }`),
// checked with the same `path: message` problems as a rules file, so both editors point at what is wrong.
import { didYouMean } from "../../src/rules/schema";
import { isObj, join } from "../../src/rules/references";
import type { RulesIssue } from "../../src/rules/types";
import type { History } from "../../src/rules/simulate";

/** A checked history, or every problem in it. */
export type HistoryCheck = { ok: true; history: History } | { ok: false; issues: RulesIssue[] };

const TOP_KEYS = ["now", "page", "traits", "visitorId", "timezoneOffsetMinutes", "events"];
const PAGE_KEYS = ["url", "title", "referrer"];
const TIME = "an ISO date-time or epoch milliseconds";

/** Checks a parsed visit history; lists every problem with its path. */
export function checkHistory(value: unknown): HistoryCheck {
  const issues: RulesIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path: path || "$", message });
  if (!isObj(value)) {
    add("", 'expected an object like { "events": [ { "t", "type", "path" } ] }');
    return { ok: false, issues };
  }
  unknownKeys(value, "", TOP_KEYS, add);
  if (value.now !== undefined && !isTime(value.now)) add("now", `expected ${TIME}`);
  if (value.page !== undefined) checkPage(value.page, add);
  if (value.traits !== undefined && !isObj(value.traits)) add("traits", "expected an object of trait values");
  if (value.visitorId !== undefined && typeof value.visitorId !== "string") add("visitorId", "expected a string");
  const offset = value.timezoneOffsetMinutes;
  if (offset !== undefined && !(typeof offset === "number" && Math.abs(offset) <= 24 * 60)) {
    add("timezoneOffsetMinutes", "expected minutes east of UTC, from -1440 to 1440");
  }
  if (!Array.isArray(value.events)) add("events", value.events === undefined ? "is required" : "expected a list of events");
  else value.events.forEach((event, index) => checkEvent(event, join("events", index), add));
  return issues.length ? { ok: false, issues } : { ok: true, history: value as unknown as History };
}

type Add = (path: string, message: string) => void;

function checkEvent(event: unknown, path: string, add: Add): void {
  if (!isObj(event)) return add(path, 'expected an event like { "t": "2026-03-02T10:00:00Z", "type": "pageview", "path": "/" }');
  if (event.t === undefined) add(path, 'needs a time "t"');
  else if (!isTime(event.t)) add(join(path, "t"), `expected ${TIME}`);
  if (event.type === undefined) add(path, 'needs a "type" (pageview, dwell, search or your own)');
  else if (typeof event.type !== "string" || event.type === "") add(join(path, "type"), "expected a non-empty string");
  if (event.path !== undefined && !(typeof event.path === "string" && event.path.startsWith("/"))) {
    add(join(path, "path"), 'expected a path starting with "/"');
  }
}

function checkPage(page: unknown, add: Add): void {
  if (!isObj(page)) return add("page", 'expected { "url", "title"?, "referrer"? }');
  unknownKeys(page, "page", PAGE_KEYS, add);
  if (page.url === undefined) add("page", 'needs a "url"');
  else if (!isHttpUrl(page.url)) add("page.url", "expected an absolute http(s) URL");
  if (page.title !== undefined && typeof page.title !== "string") add("page.title", "expected a string");
  if (page.referrer !== undefined && !(page.referrer === "" || isHttpUrl(page.referrer))) {
    add("page.referrer", 'expected an absolute http(s) URL, or "" for none');
  }
}

function unknownKeys(object: Record<string, unknown>, path: string, known: readonly string[], add: Add): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) add(path, `unknown key "${key}"${didYouMean(key, known)}`);
  }
}

function isTime(value: unknown): boolean {
  return typeof value === "number" ? Number.isFinite(value) : typeof value === "string" && !Number.isNaN(Date.parse(value));
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
