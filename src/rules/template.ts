// `{{path|fallback}}` tokens in change texts (DESIGN §2 "Changes"). The result is plain TEXT that the caller puts in
// `textContent`, so nothing here escapes or parses HTML: a trait value of `<b>` shows as `<b>`, never as markup.

/** At most this many tokens are substituted; later ones stay as written (and read nothing). */
export const MAX_TOKENS = 50;

/** Rendered text is cut to this many characters: trait values are visitor input. */
export const MAX_OUTPUT = 2000;

/**
 * Runs `fn` on each token's path and fallback (both trimmed) and puts what it returns in the token's place. A token
 * is `{{`, anything without braces, `}}`, so an unterminated `{{` never matches and stays literal; a token with an
 * empty path (`{{ }}`), and every token after the first MAX_TOKENS, stays as written. Only the first `|` splits
 * (the path has none). Linear: the path and the fallback cannot trade characters, so a failed match never backtracks far.
 */
function replaceTokens(template: string, fn: (path: string, fallback: string) => string): string {
  let seen = 0;
  return template.replace(/\{\{([^{}|]*)(?:\|([^{}]*))?\}\}/g, (whole, path: string, fallback = "") =>
    path.trim() && ++seen <= MAX_TOKENS ? fn(path.trim(), fallback.trim()) : whole,
  );
}

/**
 * A context value as text: a non-empty string, a finite number or a boolean, as `String()` writes it; arrays are
 * joined with ", ", skipping items with no text form (objects, null, non-finite numbers, "").
 */
const valueText = (value: unknown): string =>
  [value]
    .flat()
    .filter((v) => typeof v == "boolean" || Number.isFinite(v) || (typeof v == "string" && v))
    .join(", ");

/** Replaces each `{{path}}` / `{{path|fallback}}` with the value at `path` in `doc`, or the fallback when it has no text. */
export const renderTemplate = (template: string, doc: unknown, getPath: (doc: unknown, path: string) => unknown): string =>
  replaceTokens(template, (path, fallback) => valueText(getPath(doc, path)) || fallback)
    .slice(0, MAX_OUTPUT)
    // never half of a surrogate pair at the end
    .replace(/[\ud800-\udbff]$/, "");

/** The context paths a template reads, in order of first use (what the synchronous snapshot must keep). */
export function templatePaths(template: string): string[] {
  const paths = new Set<string>();
  replaceTokens(template, (path) => (paths.add(path), ""));
  return [...paths];
}
