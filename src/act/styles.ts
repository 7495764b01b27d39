// segmint's own stylesheets, adopted as constructed stylesheets: no <style> element and no style attributes,
// so they work under a strict Content-Security-Policy (`style-src 'self'`). Browsers without them get a <style>.

/** segmint's base rules. `display: none !important` so an author rule like `.banner { display: flex }` cannot undo `hide`. */
export const BASE_CSS = ".segmint-hidden{display:none!important}";

/** A new constructed stylesheet for `doc`, or undefined where there are none (Safari before 16.4). */
function constructedSheet(doc: Document): CSSStyleSheet | undefined {
  const Sheet = doc.defaultView?.CSSStyleSheet;
  return Sheet && "adoptedStyleSheets" in doc && "replaceSync" in Sheet.prototype ? new Sheet() : undefined;
}

/** Adds `sheet` to the document's adopted stylesheets; returns the function that removes it again. */
function adopt(doc: Document, sheet: CSSStyleSheet): () => void {
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  return () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}

/** A stylesheet of segmint's own: its rules can be replaced, and it can be attached (returning its removal). */
export interface OwnSheet {
  replace(css: string): void;
  attach(): () => void;
}

/**
 * A constructed, adopted stylesheet where the browser has them; else (Safari before 16.4) a <style> element, which
 * works on pages without a strict `style-src` (with one, the browser blocks it and `hidden` still hides through the
 * UA stylesheet, as before).
 */
export function ownSheet(doc: Document): OwnSheet {
  const sheet = constructedSheet(doc);
  if (sheet) return { replace: (css) => sheet.replaceSync(css), attach: () => adopt(doc, sheet) };
  const style = doc.createElement("style");
  return {
    replace: (css) => void (style.textContent = css),
    attach: () => (doc.head.append(style), () => style.remove()),
  };
}

/** Adopts `css` into the document; returns the function that removes it again. */
export function adoptStylesheet(doc: Document, css: string): () => void {
  const sheet = ownSheet(doc);
  sheet.replace(css);
  return sheet.attach();
}
