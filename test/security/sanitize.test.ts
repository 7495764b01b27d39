// The `html` change where Element.setHTML is missing (jsdom, older browsers): only through the site's sanitizer,
// here DOMPurify. Property: sanitized output sanitized again is unchanged, and never holds script, on* handlers
// or script URLs — and what segmint inserts from it runs nothing.
import createDOMPurify from "dompurify";
import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";

// Thousands of property runs: on a loaded two-core machine they need more than vitest's default 5 s per test.
vi.setConfig({ testTimeout: 30_000 });
import { applyChange } from "../../src/act/changes";

const purify = createDOMPurify(window);
const sanitize = (html: string) => purify.sanitize(html);

const VECTORS = [
  `<img src=x onerror="window.__pwned=1">`,
  `<svg onload="window.__pwned=1"><circle r=1 /></svg>`,
  `<a href="javascript:window.__pwned=1">x</a>`,
  `<a href="&#106;avascript:window.__pwned=1">x</a>`,
  `<a href="java\tscript:window.__pwned=1">x</a>`,
  `<iframe srcdoc="<script>window.__pwned=1</script>"></iframe>`,
  `<base href="https://evil.example/">`,
  `<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">`,
  `<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>"></noscript>`,
  `<form action="javascript:window.__pwned=1"><button formaction="javascript:1">go</button></form>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>`,
  `<script>window.__pwned=1</script><b>bold</b>`,
];

function dangerous(html: string): boolean {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  for (const element of Array.from(doc.body.querySelectorAll("*"))) {
    if (["SCRIPT", "IFRAME", "BASE", "META", "OBJECT", "EMBED"].includes(element.tagName)) return true;
    for (const attribute of Array.from(element.attributes)) {
      const value = attribute.value.replace(/[\0-\x20\x7f]/g, "").toLowerCase();
      if (/^on/i.test(attribute.name) || value.startsWith("javascript:") || value.startsWith("vbscript:") || attribute.name === "srcdoc") return true;
    }
  }
  return false;
}

beforeEach(() => {
  document.body.innerHTML = `<div id="x">Original</div>`;
  delete (window as { __pwned?: unknown }).__pwned;
});

describe("html changes through the sanitize option", () => {
  it.each(VECTORS)("neutralises %s", async (vector) => {
    const element = document.getElementById("x") as HTMLElement;
    const undo = applyChange(element, { selector: "#x", html: vector }, { refuse: vi.fn(), sanitize });
    expect(undo).toBeTypeOf("function");
    expect(dangerous(element.innerHTML)).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
    undo?.();
    expect(element.textContent).toBe("Original");
  });

  it("sanitizing twice equals once, and the output holds no script, on* or script URL (property)", () => {
    const fragment = fc.oneof(
      fc.constantFrom(...VECTORS, "<b>", "</b>", "<p title='", "'>", "<img src=x ", "onerror=", "javascript:", "<svg>", "</noscript>", "&#106;"),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 8 }), (parts) => {
        const once = sanitize(parts.join(""));
        expect(sanitize(once)).toBe(once);
        expect(dangerous(once)).toBe(false);
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
