// segmint's own stylesheets, adopted as constructed stylesheets: no <style> element and no style attributes,
// so they work under a strict Content-Security-Policy (`style-src 'self'`).

/** segmint's base rules. `display: none !important` so an author rule like `.banner { display: flex }` cannot undo `hide`. */
export const BASE_CSS = ".segmint-hidden{display:none!important}";

/** A new constructed stylesheet for `doc`, or undefined where there are none (Safari before 16.4). */
export function constructedSheet(doc: Document): CSSStyleSheet | undefined {
  const Sheet = doc.defaultView?.CSSStyleSheet;
  return Sheet && "adoptedStyleSheets" in doc && "replaceSync" in Sheet.prototype ? new Sheet() : undefined;
}

/** Adds `sheet` to the document's adopted stylesheets; returns the function that removes it again. */
export function adopt(doc: Document, sheet: CSSStyleSheet): () => void {
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  return () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}

/** Adopts `css` into the document; returns the function that removes it again. */
export function adoptStylesheet(doc: Document, css: string): () => void {
  const sheet = constructedSheet(doc);
  // Without constructable stylesheets `hidden` still hides through the UA stylesheet.
  if (!sheet) return () => {};
  sheet.replaceSync(css);
  return adopt(doc, sheet);
}
