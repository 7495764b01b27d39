// A page's own interest tags: `<meta name="segmint:tags" content="pricing, enterprise">` (DESIGN §2 `interests`).

/** The raw tags of every `segmint:tags` meta in `doc`, comma-separated; `tagsForPage` trims, lowercases and bounds them. */
export function metaTags(doc: Document): string[] {
  return Array.from(doc.querySelectorAll<HTMLMetaElement>('meta[name="segmint:tags"]')).flatMap((meta) => meta.content.split(","));
}
