// Site searches: from the results page's URL (`?q=…`), and from search forms that do not put the query in a URL.
import { listen, type OnError } from "./listen";

const MAX = 200;

/** The first non-empty search parameter of url among params (in their order), normalised, or null. */
export function searchFromUrl(url: string, params: readonly string[]): string | null {
  let query: URLSearchParams;
  try {
    query = new URL(url, "http://localhost").searchParams;
  } catch {
    return null;
  }
  for (const name of params) {
    const value = normalize(query.get(name) ?? "");
    if (value) return value;
  }
  return null;
}

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
export function watchSearchForms(onSearch: (query: string) => void, options: SearchFormOptions = {}): () => void {
  // Capture phase: a site handler that stops propagation must not hide the search from us.
  return listen(document, "submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const input = searchInput(form);
    if (!input) return;
    if (form.method === "get" && options.params?.includes(input.name)) return;
    const query = normalize(input.value);
    if (query) onSearch(query);
  }, options.onError, true);
}

/** The field that holds the query: the search input, or the first text input of a search landmark's form. */
function searchInput(form: HTMLFormElement): HTMLInputElement | null {
  const search = form.querySelector<HTMLInputElement>("input[type=search]");
  if (search || !form.closest("[role=search],search")) return search;
  return form.querySelector<HTMLInputElement>("input[type=text],input:not([type])");
}

/** Trimmed, inner whitespace collapsed, at most 200 characters (never half a surrogate pair). */
function normalize(raw: string): string {
  return raw.replace(/\s+/g, " ").trim().slice(0, MAX).replace(/[\ud800-\udbff]$/, "").trim();
}
