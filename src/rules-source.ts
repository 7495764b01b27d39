// Where the rules come from: an object, an inline <script type="application/json">, or a URL fetched with a
// time-out and revalidated against a cached copy (ETag / Last-Modified), so repeat visitors start synchronously.
import { compileRules } from "./rules/compile";
import type { Rules } from "./rules/types";
import { readRulesCache, type CachedRules } from "./store/rules-cache";
import { ErrorCodes, type Report } from "./report";
import { isValidSelector } from "./act/prehide";

const TIMEOUT_MS = 5000;

/** Compiled rules and where they came from (a URL's text is cached once consent allows). */
export interface LoadedRules {
  rules: Rules;
  url?: string;
  /** The cached copy they were compiled from: revalidate it. */
  cached?: CachedRules;
  /** A freshly fetched text: cache it. */
  fetched?: CachedRules;
}

/** The rules available without waiting: an object, the inline JSON, or a cached copy of the URL. */
export function syncRules(source: object | string | undefined, report: Report): LoadedRules | undefined {
  if (typeof source === "object") return compiled(source, report);
  if (source === undefined) {
    // The inline rules must come before segmint's own <script> tag to be parsed by now.
    const inline = document.querySelector('script[type="application/json"]#segmint-rules');
    if (inline) return compiled(inline.textContent ?? "", report);
    return void report(ErrorCodes.rulesUnavailable, "no rules: pass `rules`, set data-rules, or add <script type=application/json id=segmint-rules>");
  }
  const url = new URL(source, document.baseURI).href;
  const cached = readRulesCache(url);
  return cached ? compiled(cached.text, report, { url, cached }) : undefined;
}

/** Fetches and compiles the rules of a URL when `syncRules` had none. Never rejects. */
export async function loadRules(source: object | string | undefined, report: Report): Promise<LoadedRules | undefined> {
  if (typeof source !== "string") return undefined;
  const url = new URL(source, document.baseURI).href;
  const fetched = await fetchRules(url, report);
  return fetched && compiled(fetched.text, report, { url, fetched });
}

/** Fetches a rules file; with `cached`, only when it changed (undefined on 304 and on failure, reported). */
export async function fetchRules(url: string, report: Report, cached?: CachedRules): Promise<CachedRules | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const headers: Record<string, string> = {};
  if (cached?.etag) headers["if-none-match"] = cached.etag;
  if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;
  try {
    const response = await fetch(url, { headers, signal: controller.signal });
    if (response.status === 304) return undefined;
    if (!response.ok) throw `HTTP ${response.status}`;
    const header = (name: string) => response.headers.get(name) ?? undefined;
    return { text: await response.text(), etag: header("etag"), lastModified: header("last-modified") };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    report(timedOut ? ErrorCodes.rulesTimeout : ErrorCodes.rulesUnavailable, `${url}: ${timedOut ? `no answer in ${TIMEOUT_MS} ms` : error}`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

// A rules file that is not JSON or that the runtime compiler rejects leaves the page untouched (DESIGN §2).
function compiled(json: unknown, report: Report, from: Omit<LoadedRules, "rules"> = {}): LoadedRules | undefined {
  try {
    const result = compileRules(typeof json === "string" ? JSON.parse(json) : json, { isValidSelector: (s) => isValidSelector(document, s) });
    if (result.ok) return { rules: result.rules, ...from };
    const issues = result.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
    report(ErrorCodes.rulesInvalid, `rules rejected, page untouched (\`npx segmint validate\` lists every problem): ${issues.join("; ")}`);
  } catch (error) {
    report(ErrorCodes.rulesInvalid, `rules are not JSON: ${error}`);
  }
  return undefined;
}

