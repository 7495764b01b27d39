// segmint's own stylesheets, adopted as constructed stylesheets: no <style> element and no style attributes,
// so they work under a strict Content-Security-Policy (`style-src 'self'`).

/** segmint's base rules. `display: none !important` so an author rule like `.banner { display: flex }` cannot undo `hide`. */
export const BASE_CSS = ".segmint-hidden{display:none!important}";

/** Adopts `css` into the document; returns the function that removes it again. */
export function adoptStylesheet(doc: Document, css: string): () => void {
  const Sheet = doc.defaultView?.CSSStyleSheet;
  if (!Sheet || !("adoptedStyleSheets" in doc) || !("replaceSync" in Sheet.prototype)) {
    // Safari before 16.4 has no constructable stylesheets; `hidden` still hides through the UA stylesheet.
    return () => {};
  }
  const sheet = new Sheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  return () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}
