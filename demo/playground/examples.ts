// What the playground starts with: the demo site's rules (fetched, so the playground shows the rules the demo runs)
// or, when they cannot be had, a built-in file for the same site; and a visit history that lands in a few segments.
import { formatHistory } from "./history-builder";

const RULES_URL = "/segmint.rules.json";
const FETCH_TIMEOUT_MS = 3000;

/** A rules file for the demo site (Acme Flow) that uses metrics, sticky segments, variants, a schedule and an offer. */
const BUILT_IN_RULES = {
  version: 1,
  metrics: {
    pricingViews7d: { count: "pageview", where: { path: { $regex: "^/pricing" } }, withinDays: 7 },
    docsSeconds: { sum: "dwell.seconds", where: { path: { $regex: "^/docs" } } },
    lastSearch: { last: "search.query" },
  },
  segments: [
    { id: "returning", when: { "visitor.sessions": { $gt: 1 } } },
    { id: "from-search", when: { "session.referrer.type": "search" } },
    { id: "docs-reader", when: { "metrics.docsSeconds": { $gte: 60 } } },
    { id: "hot-lead", when: { "metrics.pricingViews7d": { $gte: 2 } }, stickyDays: 7 },
    { id: "hot-return", when: { segments: { $all: ["returning", "hot-lead"] } } },
  ],
  experiences: [
    {
      id: "hero-returning", segment: "returning", pages: { "page.path": "/" }, holdout: 0.1,
      changes: [
        { selector: "#hero h1", text: "Welcome back, {{traits.firstName|friend}}!" },
        { selector: "#hero .cta", text: "Pick up where you left off", href: "/docs/" },
      ],
      goals: [{ click: "#hero .cta" }],
    },
    {
      id: "docs-to-pricing", segment: "docs-reader", pages: { "page.path": { $regex: "^/pricing" } },
      changes: [{ selector: "main h1", text: "Ready to put what you read to work?" }],
      goals: [{ pageview: { "page.path": "/signup" } }],
    },
    {
      id: "pricing-headline", segment: "from-search", start: "2026-12-01", end: "2027-01-31",
      variants: [
        { id: "a", weight: 1, changes: [{ selector: "h1", text: "Plans that scale" }] },
        { id: "b", weight: 1, changes: [{ selector: "h1", text: "Start free today" }] },
      ],
    },
    {
      id: "exit-discount", segment: "hot-lead",
      trigger: { exitIntent: { sensitivity: 20, minSecondsOnPage: 5 } },
      offer: { title: "Before you go…", body: "20% off your first month.", cta: { text: "Claim it", href: "/signup?code=STAY20" } },
      frequency: { maxShows: 1, perDays: 7 },
      goals: [{ event: "signup" }],
    },
  ],
};

/** Read the docs after a search, came back three days later and looked at pricing twice. */
const EXAMPLE_HISTORY = {
  now: "2026-03-05T14:03:00.000Z",
  traits: { firstName: "Ada" },
  events: [
    { t: "2026-03-02T09:00:00.000Z", type: "pageview", path: "/docs/" },
    { t: "2026-03-02T09:01:35.000Z", type: "dwell", path: "/docs/", seconds: 95 },
    { t: "2026-03-02T09:02:00.000Z", type: "pageview", path: "/search/" },
    { t: "2026-03-02T09:02:00.000Z", type: "search", path: "/search/", query: "webhooks" },
    { t: "2026-03-02T09:02:30.000Z", type: "pageview", path: "/docs/webhooks/" },
    { t: "2026-03-02T09:03:10.000Z", type: "dwell", path: "/docs/webhooks/", seconds: 40 },
    { t: "2026-03-05T14:00:00.000Z", type: "pageview", path: "/pricing/" },
    { t: "2026-03-05T14:02:00.000Z", type: "pageview", path: "/pricing/" },
    { t: "2026-03-05T14:03:00.000Z", type: "pageview", path: "/" },
  ],
};

/** The built-in rules file's text. */
export function builtInRulesText(): string {
  return `${JSON.stringify(BUILT_IN_RULES, null, 2)}\n`;
}

/** The example history's text. */
export function exampleHistoryText(): string {
  return formatHistory(EXAMPLE_HISTORY);
}

/** The demo site's own rules file as it is written, or the built-in one when it cannot be fetched or is not JSON. */
export async function exampleRulesText(): Promise<string> {
  // AbortSignal.timeout is missing in Safari 15.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
  try {
    const response = await fetch(RULES_URL, { signal: abort.signal, cache: "no-cache" });
    const text = response.ok ? await response.text() : "";
    JSON.parse(text);
    return text.endsWith("\n") ? text : `${text}\n`;
  } catch {
    return builtInRulesText();
  } finally {
    clearTimeout(timer);
  }
}
