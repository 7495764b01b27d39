// Trying to break segmint from a rules file in real Chromium (issue 9), against dist/segmint.min.js. Every classic
// XSS vector goes into every change kind. A file with an unsafe URL or attribute is rejected whole (fail closed);
// what passes validation (text, tokens, insert, templates, html, offer text) must never run code. A tripwire
// (alert/confirm/prompt/console.error, window.__pwned, securitypolicyviolation, pageerror) watches throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, serveDemo, type DemoServer } from "./harness";

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Watched {
  page: Page;
  context: BrowserContext;
  /** segmint's console warnings (`[segmint] SEGMINT_…: …`). */
  warnings: string[];
  /** Uncaught page errors and native dialogs (which the tripwire also stubs). */
  errors: string[];
}

// Runs in every frame before any of its scripts. Serialized by Playwright, so it must not close over anything.
function tripwire(): void {
  const w = window as unknown as Record<string, unknown> & { __trips: string[]; __violations: string[] };
  w.__trips = [];
  w.__violations = [];
  for (const name of ["alert", "confirm", "prompt"]) {
    w[name] = (...args: unknown[]) => {
      w.__trips.push(`${name}(${args.join(", ")})`);
      return null;
    };
  }
  const error = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    w.__trips.push(`console.error(${args.join(" ")})`);
    error(...args);
  };
  document.addEventListener("securitypolicyviolation", (e) =>
    w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample} from ${e.sourceFile.replace(/^.*\//, "")}`),
  );
}

async function open(url: string, setup?: (context: BrowserContext) => Promise<unknown>): Promise<Watched> {
  const context = await browser.newContext();
  await context.addInitScript(tripwire);
  await setup?.(context);
  const page = await context.newPage();
  const watched: Watched = { page, context, warnings: [], errors: [] };
  page.on("console", (message) => {
    if (message.type() === "warning" && message.text().startsWith("[segmint]")) watched.warnings.push(message.text());
  });
  page.on("pageerror", (error) => watched.errors.push(String(error)));
  page.on("dialog", (dialog) => {
    watched.errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(url);
  await page.evaluate(() => (window as unknown as { segmint: { ready: Promise<void> } }).segmint.ready);
  // Every <img> has loaded or failed, so any onerror would have run by now.
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  return watched;
}

/**
 * The tripwire never fired, nothing set the marker, no CSP violation but `expected`, no page error; the page's
 * button works.
 */
async function expectUnharmed({ page, errors }: Watched, expected: string[] = []): Promise<void> {
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __trips: string[]; __violations: string[]; __pwned?: string };
    return { trips: w.__trips, violations: w.__violations, pwned: w.__pwned ?? null };
  });
  expect(seen).toEqual({ trips: [], violations: expected, pwned: null });
  expect(errors).toEqual([]);
  await page.click("#own");
  expect(await page.evaluate(() => (window as unknown as { __ownClicks: number }).__ownClicks)).toBe(1);
}

/** Every element's attributes named on… (event handlers) anywhere in the document, dialogs included. */
const handlerAttributes = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll("*")).flatMap((el) =>
      Array.from(el.attributes).filter((a) => a.name.toLowerCase().startsWith("on")).map((a) => `${el.localName}[${a.name}]`),
    ),
  );

describe.each([
  { csp: false, name: "without a CSP" },
  { csp: true, name: "under a strict CSP" },
])("vectors that pass validation never run ($name)", ({ csp }) => {
  let server: DemoServer;
  let watched: Watched;
  beforeAll(async () => {
    server = await serveDemo({ csp });
    watched = await open(`${server.url}/fixtures/security.html`);
  });
  afterAll(async () => {
    await watched?.context.close();
    await server?.close();
  });

  const text = (selector: string) => watched.page.locator(selector).evaluate((el) => ({ text: el.textContent, children: el.children.length }));

  it("text changes are text: the HTML shows as characters", async () => {
    expect(await text("#text-img")).toEqual({ text: `<img src=x onerror="window.__pwned='text-img'">`, children: 0 });
    expect(await text("#text-svg")).toEqual({ text: `<svg onload="window.__pwned='text-svg'"></svg>`, children: 0 });
  });

  it("{{traits.x}} tokens render trait HTML as text, and a javascript: trait URL is refused after rendering", async () => {
    const { page } = watched;
    expect(await text("#token-text")).toEqual({ text: `Hello <img src=x onerror="window.__pwned='trait-text'">`, children: 0 });
    expect(await page.getAttribute("#token-href", "href")).toBe("/fixtures/thanks.html");
    expect(await page.getAttribute("#token-attr", "title")).toBe(`"><svg onload="window.__pwned='trait-attr'">`);
    expect(await text("#token-attr")).toEqual({ text: "token attributes", children: 0 });
  });

  it("insert text is a text node", async () => {
    expect(await text("#insert")).toEqual({ text: `insert<img src=x onerror="window.__pwned='insert'">`, children: 0 });
  });

  it("templates are cloned without their <script>s (which would otherwise run)", async () => {
    for (const selector of ["#template", "#insert-tpl"]) {
      const seen = await watched.page.locator(selector).evaluate((el) => ({
        scripts: el.querySelectorAll("script").length,
        kept: el.querySelector(".from-template")?.textContent,
      }));
      expect(seen, selector).toEqual({ scripts: 0, kept: "from the template" });
    }
  });

  it("html goes through Element.setHTML: handlers, frames, <base>, <meta refresh>, scripts and javascript: URLs are gone", async () => {
    const seen = await watched.page.locator("#html").evaluate((el) => ({
      kept: el.querySelector("b")?.textContent,
      dangerous: Array.from(el.querySelectorAll("iframe,base,meta,script,noscript img,frame,object,embed")).map((e) => e.localName),
      javascriptUrls: Array.from(el.querySelectorAll("[href],[action],[formaction],[src]")).flatMap((e) =>
        ["href", "action", "formaction", "src"].map((a) => e.getAttribute(a) ?? "").filter((v) => /^\s*javascript:/i.test(v)),
      ),
    }));
    expect(seen).toEqual({ kept: "kept", dangerous: [], javascriptUrls: [] });
    expect(await watched.page.evaluate(() => document.querySelectorAll("base").length)).toBe(0);
  });

  it("nothing anywhere in the document carries an event-handler attribute", async () => {
    expect(await handlerAttributes(watched.page)).toEqual([]);
  });

  it("an offer's title, body and cta are text; an offer template's <script> is dropped", async () => {
    const { page } = watched;
    await page.evaluate(() => (window as unknown as { segmint: { showOffer(id: string): void } }).segmint.showOffer("offer-vectors"));
    const offer = await page.locator("dialog[open]").evaluate((dialog) => ({
      title: dialog.querySelector(".segmint-offer-title")?.textContent,
      body: dialog.querySelector(".segmint-offer-body")?.textContent,
      cta: dialog.querySelector(".segmint-offer-cta")?.textContent,
      elements: Array.from(dialog.querySelectorAll("img,script,svg,b")).length,
    }));
    expect(offer).toEqual({
      title: `<img src=x onerror="window.__pwned='offer-title'">`,
      body: `<script>window.__pwned='offer-body'</script>`,
      cta: `<b onmouseover="window.__pwned='offer-cta'">Go</b>`,
      elements: 0,
    });
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("dialog").count()).toBe(0);

    await page.evaluate(() => (window as unknown as { segmint: { showOffer(id: string): void } }).segmint.showOffer("offer-template"));
    const fromTemplate = await page.locator("dialog[open]").evaluate((dialog) => ({
      heading: dialog.querySelector("h2")?.textContent,
      scripts: dialog.querySelectorAll("script").length,
    }));
    expect(fromTemplate).toEqual({ heading: "Offer", scripts: 0 });
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("dialog").count()).toBe(0);
  });

  it("the tripwire never fired, nothing was pwned, no unexpected CSP violation; one warning (the refused token URL); the button clicks", async () => {
    // Under a CSP, Chromium 156 reports the html change's `<img onerror>` as a blocked handler while Element.setHTML
    // parses it, before its sanitizer drops it; without a CSP it never runs either (the run without one proves it),
    // so this one report is the browser's, not an attack getting through.
    await expectUnharmed(watched, csp ? ["script-src-attr inline  from segmint.min.js"] : []);
    expect(watched.warnings).toEqual([expect.stringMatching(/^\[segmint\] SEGMINT_CHANGE_REFUSED: .*javascript:/)]);
  });
});

// Each rules file below holds one unsafe URL or attribute next to a harmless text change: the runtime compiler must
// reject the file whole, so even the harmless change never runs.
const UNSAFE: Array<[string, Record<string, unknown>]> = [
  ["href javascript:", { selector: "#target", href: "javascript:alert(1)" }],
  ["href JaVaScRiPt:", { selector: "#target", href: "JaVaScRiPt:alert(1)" }],
  ["href java\\tscript:", { selector: "#target", href: "java\tscript:alert(1)" }],
  ["href with a leading space", { selector: "#target", href: " javascript:alert(1)" }],
  ["href with a leading control character", { selector: "#target", href: "\u0001javascript:alert(1)" }],
  ["href &#106;avascript:", { selector: "#target", href: "&#106;avascript:alert(1)" }],
  ["href data:text/html", { selector: "#target", href: "data:text/html,<script>alert(1)</script>" }],
  ["href vbscript:", { selector: "#target", href: "vbscript:msgbox(1)" }],
  ["attributes onclick", { selector: "#target", attributes: { onclick: "alert(1)" } }],
  ["attributes OnClIcK", { selector: "#target", attributes: { OnClIcK: "alert(1)" } }],
  ["attributes src javascript:", { selector: "#target", attributes: { src: "javascript:alert(1)" } }],
  ["attributes href javascript:", { selector: "#target", attributes: { href: "javascript:alert(1)" } }],
  ["attributes xlink:href javascript:", { selector: "#target", attributes: { "xlink:href": "javascript:alert(1)" } }],
  ["attributes action javascript:", { selector: "#form", attributes: { action: "javascript:alert(1)" } }],
  ["attributes formaction javascript:", { selector: "#own", attributes: { formaction: "javascript:alert(1)" } }],
  ["attributes data javascript:", { selector: "#target", attributes: { data: "javascript:alert(1)" } }],
  ["attributes srcdoc", { selector: "#target", attributes: { srcdoc: "<script>alert(1)</script>" } }],
  ["attributes style", { selector: "#target", attributes: { style: "background:url(javascript:alert(1))" } }],
  ["an attribute name that is not a name", { selector: "#target", attributes: { "x onclick": "alert(1)" } }],
];

function rulesPage(experience: Record<string, unknown>): string {
  const rules = {
    version: 1,
    experiences: [{ id: "harmless", changes: [{ selector: "#other", text: "changed" }] }, { id: "vector", ...experience }],
  };
  // `<` escaped so that no string in the rules can end the JSON script element.
  const json = JSON.stringify(rules).replace(/</g, "\\u003c");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="/favicon.svg"><title>rejected rules</title>
<script type="application/json" id="segmint-rules">${json}</script>
<script>window.__ownClicks = 0;</script>
<script src="/segmint.min.js"></script></head>
<body><a id="target" href="/fixtures/thanks.html">original</a><p id="other">original</p>
<form id="form" action="/fixtures/thanks.html" onsubmit="return false"><button id="own" type="button" onclick="window.__ownClicks++">own</button></form>
</body></html>`;
}

describe("a rules file with an unsafe URL or attribute is rejected whole (fail closed)", () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await serveDemo();
  });
  afterAll(async () => {
    await server?.close();
  });

  const cases: Array<[string, Record<string, unknown>]> = [
    ...UNSAFE.map(([name, change]): [string, Record<string, unknown>] => [name, { changes: [change] }]),
    ["offer cta.href javascript:", { offer: { title: "Hi", cta: { text: "Go", href: "javascript:alert(1)" } } }],
    ["offer cta.href data:", { offer: { title: "Hi", cta: { text: "Go", href: "data:text/html,<script>alert(1)</script>" } } }],
  ];

  it.each(cases)("%s", async (_name, experience) => {
    const url = `${server.url}/fixtures/generated-rules.html`;
    const watched = await open(url, (context) =>
      context.route(url, (route) => route.fulfill({ contentType: "text/html", body: rulesPage(experience) })),
    );
    try {
      const { page } = watched;
      const seen = await page.evaluate(() => ({
        other: document.querySelector("#other")?.textContent,
        target: document.querySelector("#target")?.outerHTML,
        form: document.querySelector("#form")?.getAttribute("action"),
        own: document.querySelector("#own")?.getAttribute("formaction") ?? null,
        experiences: (window as unknown as { segmint: { experiences(): unknown[] } }).segmint.experiences(),
      }));
      expect(seen).toEqual({
        other: "original",
        target: `<a id="target" href="/fixtures/thanks.html">original</a>`,
        form: "/fixtures/thanks.html",
        own: null,
        experiences: [],
      });
      expect(watched.warnings).toEqual([expect.stringMatching(/^\[segmint\] SEGMINT_RULES_INVALID: /)]);
      await expectUnharmed(watched);
    } finally {
      await watched.context.close();
    }
  });
});
