// `{{path|fallback}}` tokens in change texts (DESIGN §2 "Changes"). The result is plain TEXT that the caller puts in
// `textContent`, so nothing here escapes or parses HTML: a trait value of `<b>` shows as `<b>`, never as markup.

/** At most this many tokens are substituted; later ones stay as written (and read nothing). */
export const MAX_TOKENS = 50;

/** Rendered text is cut to this many characters: trait values are visitor input. */
export const MAX_OUTPUT = 2000;

/** A token: `{{`, anything without braces, `}}` — so an unterminated `{{` never matches and stays literal. */
function tokenPattern(): RegExp {
  return /\{\{([^{}]*)\}\}/g;
}

/** A token's path and fallback, both trimmed; null when the path is empty (`{{ }}` is left as written). */
function splitToken(body: string): { path: string; fallback: string } | null {
  const bar = body.indexOf("|");
  const path = (bar < 0 ? body : body.slice(0, bar)).trim();
  if (!path) return null;
  return { path, fallback: bar < 0 ? "" : body.slice(bar + 1).trim() };
}

/** A scalar as text; "" for what has no sensible text form (objects, null, non-finite numbers). */
function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return String(value);
  return "";
}

/** A context value as text: arrays are joined with ", " (skipping items with no text form). */
function valueText(value: unknown): string {
  if (!Array.isArray(value)) return scalarText(value);
  return value.map(scalarText).filter(Boolean).join(", ");
}

/** Replaces each `{{path}}` / `{{path|fallback}}` with the value at `path` in `doc`, or the fallback when it has no text. */
export function renderTemplate(
  template: string,
  doc: unknown,
  getPath: (doc: unknown, path: string) => unknown,
): string {
  let seen = 0;
  const out = template.replace(tokenPattern(), (whole, body: string) => {
    const token = splitToken(body);
    if (!token || ++seen > MAX_TOKENS) return whole;
    return valueText(getPath(doc, token.path)) || token.fallback;
  });
  return cut(out, MAX_OUTPUT);
}

/** `text` cut to `max` UTF-16 units, without leaving half of a surrogate pair at the end. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The context paths a template reads, in order of first use (what the synchronous snapshot must keep). */
export function templatePaths(template: string): string[] {
  const paths: string[] = [];
  let seen = 0;
  for (const match of template.matchAll(tokenPattern())) {
    const token = splitToken(match[1] ?? "");
    if (!token || ++seen > MAX_TOKENS) continue;
    if (!paths.includes(token.path)) paths.push(token.path);
  }
  return paths;
}
