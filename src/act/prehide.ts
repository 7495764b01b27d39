// Pre-hiding for zero flicker: while the page is parsed, elements that a known experience will change are kept
// invisible (visibility, so nothing shifts) until their change is applied — each for at most `maxMs`. Rules live
// in a constructed stylesheet: no <style> element and no style attribute, so a strict CSP allows it.
import { ownSheet } from "./styles";

/** Creates the pre-hider of one page. */
export function createPrehider(doc: Document) {
  const sheet = ownSheet(doc);
  const hidden = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let remove = () => {};

  function render(): void {
    sheet.replace(Array.from(hidden, (s) => `${s}{visibility:hidden!important}`).join(""));
  }

  function revealAll(): void {
    clearTimeout(timer);
    hidden.clear();
    remove();
  }

  return {
    /** Hides `selectors` (invalid ones are skipped) until revealed, never longer than `maxMs` from now. */
    hide(selectors: readonly string[], maxMs: number): void {
      if (selectors.length === 0) return;
      for (const selector of selectors) if (isSelector(doc, selector)) hidden.add(selector);
      render();
      remove = sheet.attach();
      timer = setTimeout(revealAll, maxMs);
    },
    /** Shows the elements of `selector` again (their change was applied). */
    reveal(selector: string): void {
      if (!hidden.delete(selector)) return;
      if (hidden.size === 0) revealAll();
      else render();
    },
    /** Shows everything now (history loaded, or the bound passed). */
    revealAll,
    /** Selectors still hidden. */
    pending(): string[] {
      return Array.from(hidden);
    },
  };
}

/** The prehider `createPrehider` returns. */
export type Prehider = ReturnType<typeof createPrehider>;

/** Whether the browser's own parser accepts `selector` (what querySelector would). */
export function isValidSelector(doc: Document, selector: string): boolean {
  try {
    doc.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

// A selector becomes a rule in our stylesheet: braces could close it and start another rule.
function isSelector(doc: Document, selector: string): boolean {
  return isValidSelector(doc, selector) && !selector.includes("{") && !selector.includes("}");
}
