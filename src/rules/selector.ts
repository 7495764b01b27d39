// The selector check `parseRules` uses where there is no DOM (the CLI, Node): css-what's parser, plus the rules where
// css-what is more lenient than `querySelector` (which is what the runtime asks). Browsers stay the final judge — the
// runtime checks with the DOM — so this aims at the mistakes people make, not at every corner of Selectors Level 4.
// css-what never reaches the script bundle: only schema.ts imports this file.
import { parse, type Selector } from "css-what";

// Pseudo-classes evergreen browsers accept in querySelector; an unknown one makes querySelector throw.
const PSEUDO_CLASSES = new Set([
  "active", "any-link", "autofill", "checked", "default", "defined", "disabled", "empty", "enabled", "first-child",
  "first-of-type", "focus", "focus-visible", "focus-within", "fullscreen", "hover", "in-range", "indeterminate",
  "invalid", "last-child", "last-of-type", "link", "modal", "only-child", "only-of-type", "optional", "out-of-range",
  "placeholder-shown", "popover-open", "read-only", "read-write", "required", "root", "scope", "target",
  "user-invalid", "user-valid", "valid", "visited",
]);
const SELECTOR_ARGUMENT = new Set(["not", "is", "where", "has"]);
const NTH = new Set(["nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"]);
// css-what also knows `<` (parent) and `||` (column): querySelector does not.
const COMBINATORS = new Set(["child", "descendant", "adjacent", "sibling"]);
const AN_PLUS_B = /^\s*(?:odd|even|[+-]?\d+|[+-]?\d*n(?:\s*[+-]\s*\d+)?)\s*$/i;
// An identifier may not start with a digit (or `-` and a digit): css-what reads `#1a` and `[a=1]`, browsers throw.
const IDENT_START = /^(?:--|-?[A-Za-z_\u0080-\uffff\\])/;

function validPseudo(name: string, data: string | Selector[][] | null): boolean {
  if (data === null) return PSEUDO_CLASSES.has(name);
  if (Array.isArray(data)) return SELECTOR_ARGUMENT.has(name) && validList(data, name === "has");
  if (NTH.has(name)) {
    const [anb = "", of] = data.split(/\s+of\s+/i);
    return AN_PLUS_B.test(anb) && (of === undefined || (!name.endsWith("of-type") && isValidSelectorSyntax(of)));
  }
  if (name === "lang") return data.trim() !== "";
  return name === "dir" && /^\s*(?:ltr|rtl)\s*$/i.test(data);
}

function validToken(token: Selector): boolean {
  switch (token.type) {
    case "tag":
      return IDENT_START.test(token.name);
    case "attribute":
      return token.action !== "not" && IDENT_START.test(token.name);
    case "pseudo":
      return validPseudo(token.name, token.data);
    case "universal":
      return true;
    case "pseudo-element":
      return false; // querySelector never matches a pseudo-element: a change aimed at one would silently do nothing
    default:
      return COMBINATORS.has(token.type);
  }
}

/** A compound list like css-what returns it; `relative` allows a leading combinator (inside `:has()`). */
function validList(selectors: Selector[][], relative = false): boolean {
  return selectors.length > 0 && selectors.every((tokens) => {
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    if (!first || !last || COMBINATORS.has(last.type)) return false;
    if (COMBINATORS.has(first.type) && !relative) return false;
    return tokens.every(validToken);
  });
}

/** Raw-text checks css-what cannot do after unescaping: `#1a`, `.2col`, `..cta`, `#` or `.` with no name, and unquoted
 * non-identifier values. */
function rawProblem(selector: string): boolean {
  const unquoted = selector.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const withoutNth = unquoted.replace(/\((?:\s*[+-]?\d*n?\s*[+-]?\s*\d*\s*)\)/g, "()");
  // css-what reads `..cta` as the class ".cta"; browsers need a name right after `#` or `.`.
  const nameless = /(?:^|[^\\])[#.](?![-A-Za-z_\u0080-\uffff\\])/;
  return /(?:^|[^\\\w-])[#.]-?\d|=\s*-?\d/.test(withoutNth) || nameless.test(withoutNth);
}

/** Whether `selector` is a non-empty CSS selector that `querySelector` would accept (pure: css-what, no DOM). */
export function isValidSelectorSyntax(selector: string): boolean {
  if (typeof selector !== "string" || selector.trim() === "" || rawProblem(selector)) return false;
  try {
    return validList(parse(selector));
  } catch {
    return false;
  }
}
