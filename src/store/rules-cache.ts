// The last rules file fetched, with its validators, so a repeat visit compiles synchronously at start
// and revalidates in the background (If-None-Match / If-Modified-Since).
import { readJson, removeKey, writeJson } from "./local";

const KEY = "segmint:rules";
/** Larger rules texts are not cached: localStorage holds ~5 MB per origin, shared with the host page. */
export const RULES_CACHE_MAX = 100_000;

/** A cached rules text and the validators its response carried. */
export interface CachedRules {
  text: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

const optional = (x: unknown) => x === undefined || typeof x == "string";

/** The cached rules fetched from `url`, or null (nothing cached, another URL, or malformed). */
export const readRulesCache = (url: string): CachedRules | null =>
  readJson(
    KEY,
    (c: Partial<CachedRules & { url: string }> | null) =>
      c?.url === url && typeof c.text == "string" && optional(c.etag) && optional(c.lastModified),
  );

/** Caches the rules fetched from `url` (one entry: it replaces any other); false when too large or not stored. */
export const writeRulesCache = (url: string, rules: CachedRules): boolean =>
  rules.text.length <= RULES_CACHE_MAX
    ? writeJson(KEY, { ...rules, url })
    : // Too large: drop the old entry too, so a stale text is never used for this URL.
      (clearRulesCache(), false);

/** Removes the cached rules. */
export const clearRulesCache = (): void => removeKey(KEY);
