// Where a session came from (DESIGN §3 `session.referrer`, `session.utm`, `session.clickId`) and what the page is
// (`page`). Pure: URLs arrive as strings; `URL` is only used as a parser.

import type { ClickId, PageInfo, ReferrerInfo, ReferrerType, Utm } from "./types";

/** UTM values, click ids and referrer search terms are cut to this many characters. */
export const MAX_PARAM = 200;

/** Page query values are cut to this many characters (the page URL is the site's, but links to it are not). */
export const MAX_QUERY_VALUE = 1000;

/** Click-id parameters of the ad networks, in the order they are looked for; the type is the parameter name. */
const CLICK_IDS = "gclid gbraid wbraid msclkid fbclid ttclid li_fat_id twclid dclid yclid";

// Lookup tables of `label:pattern` entries, separated by spaces and checked in order (see `lookup`).

/**
 * utm_medium values by the type they mean: GA4's "Paid" (anything with "cp", "paid…", ppc, retargeting,
 * and the display mediums), "Email" and "Organic Social" mediums.
 */
const MEDIUMS = "paid:*cp*|ppc|paid*|display|banner|retargeting email:(e[-_]?)?mail|newsletter social:sm|social([-_](network|media))?";

/**
 * Search engines by host (without one leading `www.`), named after their label or first word (`(*.)?bing.com` is
 * bing). Google and Yandex match any country domain (google.de, google.co.uk, google.com.au, yandex.com.tr).
 */
const ENGINES =
  "google.(com?.)?[a-z]{2,3} (*.)?bing.com duckduckgo.com yahoo:(*.)?search.yahoo.com yandex.(com?.)?[a-z]{2,3} " +
  "(*.)?baidu.com ecosia.org brave:search.brave.com startpage.com qwant.com naver:(*.)?search.naver.com";

/**
 * Webmail and social hosts (without one leading `www.`) by the referrer type they mean; pinterest.co.uk and the other
 * Pinterest country domains too. Search engines are looked up first, but none of them is a webmail host.
 */
const HOSTS =
  "email:mail.*|outlook.(live|office(365)?).com " +
  "social:(*.)?((facebook|instagram|twitter|x|linkedin|reddit|youtube|tiktok).com|t.co|lnkd.in|pinterest.(com?.)?[a-z]{2,3})";

/** Search-term parameters, in order: Google/Bing/DDG… `q`, Yahoo `p`, Naver `query`, Yandex `text`, Baidu `wd`/`word`. */
const TERM_PARAMS = "q p query text wd word";

/** `value` trimmed and cut to MAX_PARAM characters. */
const bounded = (value: string | null | undefined): string => (value ?? "").trim().slice(0, MAX_PARAM);

/** The parsed URL, or undefined for an empty or unparseable one. */
function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {}
}

/** The host without one leading `www.`, for comparisons. */
const bareHost = (host: string): string => host.replace(/^www\./, "");

/** `utm_source` … `utm_content` from a page's query (names matched case-insensitively, first wins; empty values left out). */
export function parseUtm(query: Record<string, string>): Utm {
  const utm: Record<string, string> = {};
  // Own keys only: for…in would also walk what a page added to Object.prototype.
  for (const key of Object.keys(query)) {
    const field = /^utm_(source|medium|campaign|term|content)$/i.exec(key)?.[1]!.toLowerCase();
    const value = bounded(query[key]);
    if (field && value) utm[field] ??= value;
  }
  return utm;
}

/** The first ad-network click id present in a page's query (`gclid`, `fbclid`, …), or undefined. */
export function parseClickId(query: Record<string, string>): ClickId | undefined {
  // fixed names, none of them an Object.prototype member, so plain reads are own reads
  for (const type of CLICK_IDS.split(" ")) {
    const value = bounded(query[type]);
    if (value) return { type, value };
  }
}

/**
 * The `page` part of the context from the page's URL, title, `document.referrer` and tags. The path is as the site
 * wrote it: percent-decoded where that is safe, no trailing slash except for "/". The query is an object: first value
 * wins, `__proto__`/`constructor`/`prototype` are skipped.
 */
export function parsePage(url: string, title: string, referrer: string, tags: string[]): PageInfo {
  // an unparseable URL reads as an empty one: path "/", no host, query or hash
  const { pathname, hostname: host, searchParams, hash } = parseUrl(url) ?? new URL("file:///");
  let path = pathname;
  try {
    path = decodeURI(pathname); // decodeURI keeps %2F and the other reserved escapes, so segments stay intact
  } catch {} // a malformed escape: keep the path as the URL has it
  const query: Record<string, string> = {};
  // backwards, so that the first value is the one assigned last
  [...searchParams].reverse().forEach(([key, value]) => /^(__proto__|constructor|prototype)$/.test(key) || (query[key] = value.slice(0, MAX_QUERY_VALUE)));
  return { url, path: path.replace(/(?!^)\/+$/, ""), host, query, hash: hash.slice(1), title, referrer, tags: [...tags] };
}

/**
 * The label of the first entry of `table` whose pattern matches the whole of `value`, in any case. A pattern is a
 * regular expression in which "." is a literal dot and "*" any characters: `(*.)?bing.com` is bing.com and its
 * subdomains. An entry without a `label:` is named after its first word.
 */
const lookup = (table: string, value: string): string | undefined =>
  table
    .split(" ")
    .find((entry) => new RegExp(`^(${entry.slice(entry.indexOf(":") + 1).replace(/[.*]/g, (c) => (c == "." ? "\\." : ".*"))})$`, "i").test(value))
    ?.match(/\w+/)![0];

/**
 * Classifies a session's referrer. Campaign tags win over the referrer host: a paid or email `utm_medium`, or any ad
 * click id, decides the type even with an empty or internal referrer (email clients send no referrer); a click id
 * wins over a social medium. Otherwise: empty → direct; same host as the page, ignoring one leading `www.` →
 * internal (subdomains are other sites: storage is per origin, and without the public-suffix list a.github.io and
 * b.github.io cannot be told apart); known webmail / search / social hosts; anything else → referral. `engine` (and
 * `term`, when the referrer URL carries it) are set whenever the referrer is a known search engine, also for paid search.
 */
export function classifyReferrer({ referrer, pageUrl, utm, clickId }: { referrer: string; pageUrl: string; utm: Utm; clickId?: ClickId }): ReferrerInfo {
  const ref = parseUrl(referrer); // the URL parser ignores surrounding spaces
  const host = ref?.hostname ?? "";
  const page = parseUrl(pageUrl);
  const bare = bareHost(host);
  const engine = lookup(ENGINES, bare);
  // parseUtm trimmed the medium already
  const medium = lookup(MEDIUMS, utm.medium ?? "");
  const type =
    clickId && (!medium || medium == "social") ? "paid"
      : medium ??
        (!referrer.trim() ? "direct"
          : host && page && bare == bareHost(page.hostname) ? "internal"
          : engine ? "search"
          : lookup(HOSTS, bare) ?? "referral");
  const info: ReferrerInfo = { url: referrer.slice(0, MAX_QUERY_VALUE), host, type: type as ReferrerType };
  if (engine) {
    info.engine = engine;
    // google.com/url?q=https://… carries the destination, not a search
    const term = TERM_PARAMS.split(" ").map((name) => bounded(ref!.searchParams.get(name))).find((t) => t && !/^https?:/i.test(t));
    if (term) info.term = term;
  }
  return info;
}
