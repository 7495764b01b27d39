// Checks the rules file with the full zod schema (rules/schema.ts): the runtime only says that it rejected the file,
// this names every problem by its JSON path. The panel's only network request, to the page's own rules URL.
import { safeParseRules } from "../rules/schema";
import { isValidSelector } from "../act/prehide";
import type { Validation } from "./view";

/** Fetches `url` and validates what it holds; never rejects. */
export async function validateRulesFile(url: string): Promise<Validation> {
  let text: string;
  try {
    const { protocol } = new URL(url);
    if (protocol !== "http:" && protocol !== "https:") return { status: "unreachable", message: `not an http(s) URL: ${url}` };
    const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
    if (!response.ok) return { status: "unreachable", message: `${url} answered ${response.status} ${response.statusText}`.trim() };
    text = await response.text();
  } catch (error) {
    return { status: "unreachable", message: `${url} could not be fetched: ${error instanceof Error ? error.message : String(error)}` };
  }
  // The same selector check as the runtime's: the browser's own parser.
  const result = safeParseRules(text, { isValidSelector: (selector) => isValidSelector(document, selector) });
  if (!result.success) return { status: "invalid", issues: result.error.issues };
  return { status: "valid", segments: result.data.segments.length, experiences: result.data.experiences.length };
}
