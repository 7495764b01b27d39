// Personalization without JSON, for landing-page builders: `data-segmint-show="seg-a seg-b"` (shown only to
// members of any of them), `data-segmint-hide="seg-a"`, and `data-segmint-text="{{traits.company|your team}}"`.
import { isParsed } from "./apply";

/**
 * CSS that does show/hide from the `sm-<segment>` classes on <html> alone, so it holds from the first paint
 * (the classes come from the synchronous snapshot). Ids match ^[a-z][a-z0-9_-]*$, so they are safe in CSS.
 */
export function declarativeCss(segmentIds: readonly string[]): string {
  const shown = segmentIds.map((id) => `.sm-${id} [data-segmint-show~="${id}"]`);
  const hidden = segmentIds.map((id) => `.sm-${id} [data-segmint-hide~="${id}"]`);
  const showRule = shown.length ? `[data-segmint-show]:not(${shown.join(",")})` : "[data-segmint-show]";
  return `${showRule}{display:none!important}` + (hidden.length ? `${hidden.join(",")}{display:none!important}` : "");
}

/**
 * Fills `[data-segmint-text]` elements with their rendered template (as text), also while the page is parsed;
 * `stop()` puts the originals back. Nothing is rendered until `render` returns a string.
 */
export function createDeclarativeText(doc: Document, render: (template: string) => string | undefined) {
  const originals = new Map<Element, Node[]>();
  let observer: MutationObserver | undefined;
  if (doc.readyState === "loading" && typeof MutationObserver === "function") {
    observer = new MutationObserver(() => refresh());
    observer.observe(doc.documentElement, { childList: true, subtree: true });
    doc.addEventListener("DOMContentLoaded", () => (refresh(), observer?.disconnect()), { once: true });
  }

  function refresh(): void {
    for (const element of Array.from(doc.querySelectorAll("[data-segmint-text]"))) {
      const text = render(element.getAttribute("data-segmint-text") ?? "");
      if (text === undefined || !isParsed(doc, element)) continue;
      if (!originals.has(element)) originals.set(element, Array.from(element.childNodes));
      if (element.textContent !== text) element.textContent = text;
    }
  }

  return {
    /** Renders every marked element now (call after each evaluation and when elements appear). */
    refresh,
    /** Restores the original content of every element it filled. */
    stop(): void {
      observer?.disconnect();
      for (const [element, nodes] of originals) element.replaceChildren(...nodes);
      originals.clear();
    },
  };
}
