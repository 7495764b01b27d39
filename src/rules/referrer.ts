// Where a session came from (DESIGN §3 `session.referrer`, `session.utm`, `session.clickId`) and what the page is
// (`page`). Pure: URLs arrive as strings; `URL` is only used as a parser.

import type { ClickId, PageInfo, ReferrerInfo, ReferrerType, Utm } from "./types";

/** UTM values, click ids and referrer search terms are cut to this many characters. */
export const MAX_PARAM = 200;

/** Page query values are cut to this many characters (the page URL is the site's, but links to it are not). */
export const MAX_QUERY_VALUE = 1000;

/** Click-id parameters of the ad networks, in the order they are looked for; the type is the parameter name. */
const CLICK_IDS = ["gclid", "gbraid", "wbraid", "msclkid", "fbclid", "ttclid", "li_fat_id", "twclid", "dclid", "yclid"];

/** utm_medium values that mean a paid click (GA4's "Paid" channel mediums, plus common spellings). */
const PAID_MEDIUMS = "cpc ppc paid paidsearch paid-search paid_search paidsocial paid-social paid_social display cpm cpv cpa banner retargeting";

/** utm_medium values that mean an email or newsletter. */
const EMAIL_MEDIUMS = "email e-mail e_mail mail newsletter";

/** utm_medium values that mean an unpaid social post (GA4's "Organic Social" mediums). */
const SOCIAL_MEDIUMS = "social social-network social-media sm social_network social_media";

/**
 * Known referrer hosts, checked in order against the host without `www.`: [type, engine name ("" for none),
 * pattern]. Webmail comes before search so that mail.yahoo.com is email, not Yahoo search. Google and Yandex match
 * any country domain (google.de, google.co.uk, google.com.au, yandex.com.tr).
 */
const HOSTS: readonly (readonly [ReferrerType, string, string])[] = [
  ["email", "", "^(mail|webmail)\\.|^outlook\\.(live|office|office365)\\.com$|^com\\.google\\.android\\.gm$"],
  ["search", "google", "^google\\.(com?\\.)?[a-z]{2,3}$|^com\\.google\\.android\\.googlequicksearchbox$"],
  ["search", "bing", "(^|\\.)bing\\.com$"],
  ["search", "duckduckgo", "^duckduckgo\\.com$"],
  ["search", "yahoo", "(^|\\.)search\\.yahoo\\.(com|co\\.jp)$"],
  ["search", "yandex", "^yandex\\.(com?\\.)?[a-z]{2,3}$|^ya\\.ru$"],
  ["search", "baidu", "(^|\\.)baidu\\.com$"],
  ["search", "ecosia", "^ecosia\\.org$"],
  ["search", "brave", "^search\\.brave\\.com$"],
  ["search", "startpage", "^startpage\\.com$"],
  ["search", "qwant", "^qwant\\.com$"],
  ["search", "naver", "(^|\\.)search\\.naver\\.com$"],
  ["search", "seznam", "^search\\.seznam\\.cz$"],
  ["search", "kagi", "^kagi\\.com$"],
  ["search", "ask", "^ask\\.com$"],
  ["search", "aol", "^search\\.aol\\.com$"],
  [
    "social",
    "",
    "(^|\\.)(facebook\\.com|fb\\.me|instagram\\.com|t\\.co|twitter\\.com|x\\.com|linkedin\\.com|lnkd\\.in|" +
      "reddit\\.com|youtube\\.com|youtu\\.be|pinterest\\.(com?\\.)?[a-z]{2,3}|pin\\.it|tiktok\\.com|threads\\.(net|com)|" +
      "bsky\\.app|mastodon\\.social|mstdn\\.[a-z]+|vk\\.com|weibo\\.com|quora\\.com|snapchat\\.com)$|" +
      "^com\\.(linkedin|facebook|instagram|twitter)\\.android$",
  ],
];

/** Search-term parameters, in order: Google/Bing/DDG… `q`, Yahoo `p`, Naver `query`, Yandex `text`, Baidu `wd`/`word`. */
const TERM_PARAMS = ["q", "p", "query", "text", "wd", "word"];

/** `value` trimmed and cut to `max` characters. */
function bounded(value: string, max: number): string {
  const v = value.trim();
  return v.length > max ? v.slice(0, max) : v;
}

/** The parsed URL, or null for an empty or unparseable one. */
function parseUrl(url: string): URL | null {
  try {
    return url ? new URL(url) : null;
  } catch {
    return null;
  }
}

/** The host without one leading `www.`, for comparisons. */
function bareHost(host: string): string {
  return host.startsWith("www.") ? host.slice(4) : host;
}

/** Query parameters whose names would reach Object.prototype if assigned; they are skipped. */
function isUnsafeKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}

/** The UTM fields of the context, each read from `utm_<field>`. */
const UTM_FIELDS = ["source", "medium", "campaign", "term", "content"] as const;

/** `utm_source` … `utm_content` from a page's query (names matched case-insensitively, first wins; empty values left out). */
export function parseUtm(query: Record<string, string>): Utm {
  const utm: Utm = {};
  for (const key of Object.keys(query)) {
    const field = UTM_FIELDS.find((f) => key.length === f.length + 4 && key.toLowerCase() === "utm_" + f);
    const value = field && utm[field] === undefined ? bounded(query[key] ?? "", MAX_PARAM) : "";
    if (field && value) utm[field] = value;
  }
  return utm;
}

/** The first ad-network click id present in a page's query (`gclid`, `fbclid`, …), or undefined. */
export function parseClickId(query: Record<string, string>): ClickId | undefined {
  for (const type of CLICK_IDS) {
    const raw = Object.prototype.hasOwnProperty.call(query, type) ? query[type] : undefined;
    const value = raw === undefined ? "" : bounded(raw, MAX_PARAM);
    if (value) return { type, value };
  }
  return undefined;
}

/** The URL's path as the site wrote it: percent-decoded where that is safe, no trailing slash except for "/". */
function pagePath(pathname: string): string {
  let path = pathname;
  try {
    path = decodeURI(pathname); // decodeURI keeps %2F and the other reserved escapes, so segments stay intact
  } catch {
    // a malformed escape: keep the path as the URL has it
  }
  return path.length > 1 && path.endsWith("/") ? path.replace(/\/+$/, "") || "/" : path;
}

/** The query as an object: first value wins; `__proto__`/`constructor`/`prototype` are skipped. */
function pageQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  params.forEach((value, key) => {
    if (!isUnsafeKey(key) && !Object.prototype.hasOwnProperty.call(query, key)) {
      query[key] = value.length > MAX_QUERY_VALUE ? value.slice(0, MAX_QUERY_VALUE) : value;
    }
  });
  return query;
}

/** The `page` part of the context from the page's URL, title, `document.referrer` and tags. */
export function parsePage(url: string, title: string, referrer: string, tags: string[]): PageInfo {
  const u = parseUrl(url);
  return {
    url,
    path: u ? pagePath(u.pathname) : "/",
    host: u ? u.hostname : "",
    query: u ? pageQuery(u.searchParams) : {},
    hash: u ? u.hash.slice(1) : "",
    title,
    referrer,
    tags: [...tags],
  };
}

/** Whether `medium` (already lowercased) is one of the space-separated `list`. */
function mediumIn(medium: string, list: string): boolean {
  return medium !== "" && (" " + list + " ").includes(" " + medium + " ");
}

/** The first known host entry matching `host`, or undefined. */
function knownHost(host: string): readonly [ReferrerType, string, string] | undefined {
  return HOSTS.find((entry) => new RegExp(entry[2]).test(host));
}

/** The search term in a search engine's referrer URL, when the engine left one (Google strips it). */
function searchTerm(params: URLSearchParams): string | undefined {
  for (const name of TERM_PARAMS) {
    const term = bounded(params.get(name) ?? "", MAX_PARAM);
    // google.com/url?q=https://… carries the destination, not a search
    if (term && !/^https?:/i.test(term)) return term;
  }
  return undefined;
}

/** The type implied by campaign parameters alone, or undefined to decide from the referrer. */
function campaignType(utm: Utm, clickId: ClickId | undefined): ReferrerType | undefined {
  const medium = (utm.medium ?? "").trim().toLowerCase();
  if (mediumIn(medium, PAID_MEDIUMS)) return "paid";
  if (mediumIn(medium, EMAIL_MEDIUMS)) return "email";
  if (clickId) return "paid";
  if (mediumIn(medium, SOCIAL_MEDIUMS)) return "social";
  return undefined;
}

/**
 * Classifies a session's referrer. Campaign tags win over the referrer host: a paid or email `utm_medium`, or any ad
 * click id, decides the type even with an empty or internal referrer (email clients send no referrer). Otherwise:
 * empty → direct; same host as the page, ignoring one leading `www.` → internal (subdomains are other sites:
 * storage is per origin, and without the public-suffix list a.github.io and b.github.io cannot be told apart);
 * known webmail / search / social hosts; anything else → referral. `engine` (and `term`, when the referrer URL
 * carries it) are set whenever the referrer is a known search engine, also for paid search.
 */
export function classifyReferrer(input: { referrer: string; pageUrl: string; utm: Utm; clickId?: ClickId }): ReferrerInfo {
  const url = input.referrer.length > MAX_QUERY_VALUE ? input.referrer.slice(0, MAX_QUERY_VALUE) : input.referrer;
  const ref = parseUrl(input.referrer.trim());
  const host = ref ? ref.hostname : "";
  const info: ReferrerInfo = { url, host, type: "referral" };
  const known = host ? knownHost(bareHost(host)) : undefined;
  if (ref && known && known[1]) {
    info.engine = known[1];
    const term = searchTerm(ref.searchParams);
    if (term) info.term = term;
  }
  info.type = campaignType(input.utm, input.clickId) ?? hostType(input, ref, host, known);
  return info;
}

/** The type from the referrer alone (no campaign tags decided it). */
function hostType(
  input: { referrer: string; pageUrl: string },
  ref: URL | null,
  host: string,
  known: readonly [ReferrerType, string, string] | undefined,
): ReferrerType {
  if (!input.referrer.trim()) return "direct";
  const page = parseUrl(input.pageUrl);
  if (ref && page && host && bareHost(host) === bareHost(page.hostname)) return "internal";
  return known ? known[0] : "referral";
}
