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

/** utm_medium values (lowercased) by the type they mean: GA4's "Paid", "Email" and "Organic Social" mediums, plus common spellings. */
const MEDIUMS =
  "paid:cp[cmva]|ppc|paid([-_]?(search|social))?|display|banner|retargeting email:(e[-_]?)?mail|newsletter " +
  "social:sm|social([-_](network|media))?";

/**
 * Known referrer hosts, checked against the host without one leading `www.`. The label is the type for `email` and
 * `social`, else the name of a search engine. Webmail comes before search so that mail.yahoo.com is email, not
 * Yahoo search. Google and Yandex match any country domain (google.de, google.co.uk, google.com.au, yandex.com.tr).
 */
const HOSTS =
  "email:(web)?mail.*|outlook.(live|office(365)?).com|com.google.android.gm " +
  "google:google.(com?.)?[a-z]{2,3}|com.google.android.googlequicksearchbox bing:(*.)?bing.com duckduckgo:duckduckgo.com " +
  "yahoo:(*.)?search.yahoo.(com|co.jp) yandex:yandex.(com?.)?[a-z]{2,3}|ya.ru baidu:(*.)?baidu.com ecosia:ecosia.org " +
  "brave:search.brave.com startpage:startpage.com qwant:qwant.com naver:(*.)?search.naver.com seznam:search.seznam.cz " +
  "kagi:kagi.com ask:ask.com aol:search.aol.com " +
  "social:(*.)?((facebook|instagram|twitter|x|linkedin|reddit|youtube|tiktok|vk|weibo|quora|snapchat).com|fb.me|t.co|" +
  "lnkd.in|youtu.be|pinterest.(com?.)?[a-z]{2,3}|pin.it|threads.(net|com)|bsky.app|mastodon.social|mstdn.[a-z]+)|" +
  "com.(linkedin|facebook|instagram|twitter).android";

/** Search-term parameters, in order: Google/Bing/DDG… `q`, Yahoo `p`, Naver `query`, Yandex `text`, Baidu `wd`/`word`. */
const TERM_PARAMS = "q p query text wd word";

/** `value` trimmed and cut to MAX_PARAM characters. */
function bounded(value: string | null | undefined): string {
  return (value ?? "").trim().slice(0, MAX_PARAM);
}

/** The parsed URL, or undefined for an empty or unparseable one. */
function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The host without one leading `www.`, for comparisons. */
function bareHost(host: string): string {
  return host.startsWith("www.") ? host.slice(4) : host;
}

/** `utm_source` … `utm_content` from a page's query (names matched case-insensitively, first wins; empty values left out). */
export function parseUtm(query: Record<string, string>): Utm {
  const utm: Record<string, string> = {};
  for (const key of Object.keys(query)) {
    const field = /^utm_(source|medium|campaign|term|content)$/i.exec(key)?.[1]?.toLowerCase();
    const value = bounded(query[key]);
    if (field && value) utm[field] ??= value;
  }
  return utm;
}

/** The first ad-network click id present in a page's query (`gclid`, `fbclid`, …), or undefined. */
export function parseClickId(query: Record<string, string>): ClickId | undefined {
  // fixed names, none of them an Object.prototype member, so plain reads are own reads
  const type = CLICK_IDS.split(" ").find((name) => bounded(query[name]));
  return type ? { type, value: bounded(query[type]) } : undefined;
}

/** The URL's path as the site wrote it: percent-decoded where that is safe, no trailing slash except for "/". */
function pagePath(pathname: string): string {
  let path = pathname;
  try {
    path = decodeURI(pathname); // decodeURI keeps %2F and the other reserved escapes, so segments stay intact
  } catch {
    // a malformed escape: keep the path as the URL has it
  }
  return path.replace(/(?!^)\/+$/, "");
}

/** The query as an object: first value wins; `__proto__`/`constructor`/`prototype` are skipped. */
function pageQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  params.forEach((value, key) => {
    if (!/^(__proto__|constructor|prototype)$/.test(key) && !Object.prototype.hasOwnProperty.call(query, key)) {
      query[key] = value.slice(0, MAX_QUERY_VALUE);
    }
  });
  return query;
}

/** The `page` part of the context from the page's URL, title, `document.referrer` and tags. */
export function parsePage(url: string, title: string, referrer: string, tags: string[]): PageInfo {
  // an unparseable URL reads as an empty one: path "/", no host, query or hash
  const u = parseUrl(url) ?? new URL("file:///");
  return {
    url,
    path: pagePath(u.pathname),
    host: u.hostname,
    query: pageQuery(u.searchParams),
    hash: u.hash.slice(1),
    title,
    referrer,
    tags: [...tags],
  };
}

/**
 * The label of the first entry of `table` whose pattern matches the whole of `value`. A pattern is a regular
 * expression in which "." is a literal dot and "*" any characters: `(*.)?bing.com` is bing.com and its subdomains.
 */
function lookup(table: string, value: string): string | undefined {
  return table.split(" ").find((entry) => {
    const source = entry.slice(entry.indexOf(":") + 1).replace(/[.*]/g, (c) => (c === "." ? "\\." : ".*"));
    return new RegExp(`^(${source})$`).test(value);
  })?.split(":")[0];
}

/** The type implied by campaign parameters alone, or undefined to decide from the referrer. */
function campaignType(utm: Utm, clickId: ClickId | undefined): ReferrerType | undefined {
  const type = lookup(MEDIUMS, (utm.medium ?? "").trim().toLowerCase()) as ReferrerType | undefined;
  // a paid or email medium wins over a click id, which wins over a social medium
  return clickId && (!type || type === "social") ? "paid" : type;
}

/**
 * Classifies a session's referrer. Campaign tags win over the referrer host: a paid or email `utm_medium`, or any ad
 * click id, decides the type even with an empty or internal referrer (email clients send no referrer). Otherwise:
 * empty → direct; same host as the page, ignoring one leading `www.` → internal (subdomains are other sites:
 * storage is per origin, and without the public-suffix list a.github.io and b.github.io cannot be told apart);
 * known webmail / search / social hosts; anything else → referral. `engine` (and `term`, when the referrer URL
 * carries it) are set whenever the referrer is a known search engine, also for paid search.
 */
export function classifyReferrer({ referrer, pageUrl, utm, clickId }: { referrer: string; pageUrl: string; utm: Utm; clickId?: ClickId }): ReferrerInfo {
  const ref = parseUrl(referrer.trim());
  const host = ref ? ref.hostname : "";
  const page = parseUrl(pageUrl);
  const label = host ? lookup(HOSTS, bareHost(host)) : undefined;
  const engine = label === "email" || label === "social" ? undefined : label;
  const type =
    campaignType(utm, clickId) ??
    (!referrer.trim() ? "direct"
      : host && page && bareHost(host) === bareHost(page.hostname) ? "internal"
      : engine ? "search"
      : ((label as ReferrerType | undefined) ?? "referral"));
  const info: ReferrerInfo = { url: referrer.slice(0, MAX_QUERY_VALUE), host, type };
  if (ref && engine) {
    info.engine = engine;
    // google.com/url?q=https://… carries the destination, not a search
    const term = TERM_PARAMS.split(" ").map((name) => bounded(ref.searchParams.get(name))).find((t) => t && !/^https?:/i.test(t));
    if (term) info.term = term;
  }
  return info;
}
