// Site searches: from the results page's URL (`?q=…`), and from search forms that do not put the query in a URL.
import { attempt, listen, type OnError } from "./listen";

/** The first non-empty search parameter of url among params (in their order), normalised, or null. */
export const searchFromUrl = (url: string, params: readonly string[]): string | null =>
  attempt(() => {
    const query = new URL(url, "http://localhost").searchParams; // throws when url is not a URL
    return params.map((name) => normalize(query.get(name) ?? "")).find(Boolean);
  }) || null;

export interface SearchFormOptions {
  /**
   * `tracking.searchParams`. A GET form whose search field is named after one of them is left to `searchFromUrl`,
   * since its results page carries the query in its URL: counting the submit too would count the search twice.
   */
  params?: readonly string[];
  onError?: OnError;
}

/**
 * Calls onSearch with the query of each submitted search form: `<form role="search">`, a form inside `<search>` or
 * `[role=search]`, or any form with an `input[type=search]`. Never prevents or changes the submission. Returns stop.
 */
export function watchSearchForms(onSearch: (query: string) => void, { params, onError }: SearchFormOptions = {}): () => void {
  // Capture phase: a site handler that stops propagation must not hide the search from us.
  return listen(document, "submit", ({ target: form }) => {
    if (!(form instanceof HTMLFormElement)) return;
    // The search input, or the first text input of a search landmark's form.
    const input =
      form.querySelector<HTMLInputElement>("input[type=search]") ??
      (form.closest("[role=search],search") && form.querySelector<HTMLInputElement>("input[type=text],input:not([type])"));
    const query = input && !(form.method == "get" && params?.includes(input.name)) && normalize(input.value);
    if (query) onSearch(query);
  }, onError, true);
}

/** Trimmed, inner whitespace collapsed, at most 200 characters (never half a surrogate pair). */
const normalize = (raw: string): string => raw.replace(/\s+/g, " ").trim().slice(0, 200).replace(/[\ud800-\udbff]$/, "").trim();
