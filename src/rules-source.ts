// Where the rules come from: an object, an inline <script type="application/json">, or a URL fetched with a
// time-out and revalidated against a cached copy (ETag / Last-Modified), so repeat visitors start synchronously.
import { compileRules } from "./rules/compile";
import type { Rules } from "./rules/types";
import { readRulesCache, type CachedRules } from "./store/rules-cache";
import { ErrorCodes, type Report } from "./report";

const RULES_TIMEOUT_MS = 5000;

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
  if (source !== undefined && typeof source !== "string") return withRules(compiled(source, report));
  if (source === undefined) {
    const inline = inlineRulesText(document);
    if (inline !== undefined) return withRules(compiledText(inline, report));
    report(ErrorCodes.rulesUnavailable, 'no rules: pass `rules`, set data-rules, or add <script type="application/json" id="segmint-rules">');
    return undefined;
  }
  const url = new URL(source, document.baseURI).href;
  const cached = readRulesCache(url) ?? undefined;
  const rules = cached ? compiledText(cached.text, report) : undefined;
  return rules && cached ? { rules, url, cached } : undefined;
}

/** Fetches and compiles the rules of `source` when `syncRules` had none. Never rejects. */
export async function loadRules(source: object | string | undefined, report: Report): Promise<LoadedRules | undefined> {
  if (typeof source !== "string") return undefined;
  const url = new URL(source, document.baseURI).href;
  const fetched = await fetchRules(url, RULES_TIMEOUT_MS);
  if (!fetched.ok) return report(fetched.code, fetched.message), undefined;
  if (!("text" in fetched)) return undefined;
  const rules = compiledText(fetched.text, report);
  return rules ? { rules, url, fetched } : undefined;
}

function withRules(rules: Rules | undefined): LoadedRules | undefined {
  return rules ? { rules } : undefined;
}

function compiledText(text: string, report: Report): Rules | undefined {
  const json = parseJson(text);
  if (!json.ok) return report(ErrorCodes.rulesInvalid, `the rules file is ${json.message}`), undefined;
  return compiled(json.value, report);
}

function compiled(json: unknown, report: Report): Rules | undefined {
  const result = compileRules(json, { isValidSelector });
  if (result.ok) return result.rules;
  const lines = result.issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  report(ErrorCodes.rulesInvalid, `rules rejected, page left untouched (run \`npx segmint validate\` for every problem): ${lines.join("; ")}`);
  return undefined;
}

function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** A fetched rules file, or why there is none. */
export type FetchedRules =
  | { ok: true; text: string; etag?: string; lastModified?: string }
  | { ok: true; notModified: true }
  | { ok: false; code: "SEGMINT_RULES_UNAVAILABLE" | "SEGMINT_RULES_TIMEOUT"; message: string };

/** ETag / Last-Modified of a cached copy. */
export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** Fetches the rules file; with `cached`, asks the server whether it changed. Never rejects. */
export async function fetchRules(url: string, timeoutMs = RULES_TIMEOUT_MS, cached?: Validators): Promise<FetchedRules> {
  const controller = typeof AbortController === "function" ? new AbortController() : undefined;
  const timer = setTimeout(() => controller?.abort(), timeoutMs);
  try {
    const response = await fetch(url, { headers: revalidationHeaders(cached), signal: controller?.signal ?? null, credentials: "same-origin" });
    if (response.status === 304) return { ok: true, notModified: true };
    if (!response.ok) return { ok: false, code: "SEGMINT_RULES_UNAVAILABLE", message: `${url} answered ${response.status}` };
    return withValidators(await response.text(), response.headers);
  } catch (error) {
    const aborted = controller?.signal.aborted;
    return aborted
      ? { ok: false, code: "SEGMINT_RULES_TIMEOUT", message: `${url} did not answer within ${timeoutMs} ms` }
      : { ok: false, code: "SEGMINT_RULES_UNAVAILABLE", message: `${url} could not be fetched: ${String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

// The page's <script type="application/json" id="segmint-rules">, which must come before segmint's own tag.
function inlineRulesText(doc: Document): string | undefined {
  const element = doc.getElementById("segmint-rules");
  return element instanceof HTMLScriptElement && element.type === "application/json" ? (element.textContent ?? "") : undefined;
}

// JSON.parse without the throw.
function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

function revalidationHeaders(cached?: Validators): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (cached?.etag) headers["if-none-match"] = cached.etag;
  if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;
  return headers;
}

function withValidators(text: string, headers: Headers): FetchedRules {
  const etag = headers.get("etag");
  const lastModified = headers.get("last-modified");
  return { ok: true, text, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}
