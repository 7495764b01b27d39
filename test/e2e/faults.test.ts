// Fault tolerance in real Chromium (issue 9), against dist/segmint.min.js: storage that is unavailable, hangs,
// closes, is full or holds corrupt values; a rules URL that 404s, answers HTML,
// serves invalid rules or never answers; a listener that throws; the script included twice; destroy() while the
// rules are still loading. Each time the page's own button still clicks, no error escapes into the page, and
// segmint says what happened in exactly one console warning with a stable SEGMINT_… code (none when nothing failed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { launch, serveDemo, type DemoServer } from "./harness";

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), serveDemo()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const RULES = {
  version: 1,
  experiences: [
    {
      id: "headline",
      changes: [
        { selector: "#title", text: "Changed" },
        { selector: "#list", insert: { position: "append", text: " +added" } },
      ],
    },
  ],
};
const inlineRules = `<script type="application/json" id="segmint-rules">${JSON.stringify(RULES)}</script>`;

/** A page with `head` in its <head>, a headline segmint may change and the page's own button. */
const pageWith = (head: string, body = "") => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="/favicon.svg"><title>fault</title>${head}</head>
<body><h1 id="title">Original</h1><p id="list">list</p>
<button id="own" type="button" onclick="window.__ownClicks = (window.__ownClicks || 0) + 1">own</button>${body}</body></html>`;

interface Opened {
  page: Page;
  context: BrowserContext;
  warnings: string[];
  errors: string[];
}

/** Opens `html` at /fixtures/fault.html; `setup` may route more before the page loads. */
async function open(html: string, setup?: (page: Page) => Promise<unknown>, waitForReady = true): Promise<Opened> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const opened: Opened = { page, context, warnings: [], errors: [] };
  page.on("console", (message) => {
    if (message.type() === "warning" && message.text().startsWith("[segmint]")) opened.warnings.push(message.text());
  });
  page.on("pageerror", (error) => opened.errors.push(String(error)));
  const url = `${server.url}/fixtures/fault.html`;
  await page.route(url, (route) => route.fulfill({ contentType: "text/html", body: html }));
  await setup?.(page);
  await page.goto(url);
  if (waitForReady) await ready(page);
  return opened;
}

const ready = (page: Page) => page.evaluate(() => (window as unknown as { segmint: { ready: Promise<void> } }).segmint.ready);
const headline = (page: Page) => page.locator("#title").textContent();

/** The page's own button works (one more click, `total` so far) and no error reached the page. */
async function expectPageWorks({ page, errors }: Opened, total = 1): Promise<void> {
  await page.click("#own");
  expect(await page.evaluate(() => (window as unknown as { __ownClicks?: number }).__ownClicks)).toBe(total);
  expect(errors).toEqual([]);
}

/** Exactly one segmint warning, with `code`. */
const expectOneWarning = (opened: Opened, code: string) =>
  expect(opened.warnings).toEqual([expect.stringMatching(new RegExp(`^\\[segmint\\] ${code}: `))]);

describe("a rules URL that fails", () => {
  it("404: the page is untouched, one SEGMINT_RULES_UNAVAILABLE", async () => {
    const opened = await open(pageWith(`<script src="/segmint.min.js" data-rules="/fixtures/missing.rules.json"></script>`));
    try {
      expect(await headline(opened.page)).toBe("Original");
      expectOneWarning(opened, "SEGMINT_RULES_UNAVAILABLE");
      await expectPageWorks(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("HTML instead of JSON: the page is untouched, one SEGMINT_RULES_INVALID", async () => {
    const opened = await open(pageWith(`<script src="/segmint.min.js" data-rules="/fixtures/thanks.html"></script>`));
    try {
      expect(await headline(opened.page)).toBe("Original");
      expectOneWarning(opened, "SEGMINT_RULES_INVALID");
      await expectPageWorks(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("invalid rules: rejected whole, the page is untouched, one SEGMINT_RULES_INVALID", async () => {
    const invalid = { ...RULES, segmentz: [] };
    const opened = await open(pageWith(`<script src="/segmint.min.js" data-rules="/fixtures/invalid.rules.json"></script>`), (page) =>
      page.route(`${server.url}/fixtures/invalid.rules.json`, (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(invalid) })),
    );
    try {
      expect(await headline(opened.page)).toBe("Original");
      expectOneWarning(opened, "SEGMINT_RULES_INVALID");
      await expectPageWorks(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("never answering: the page works meanwhile; after the 5 s time-out, one SEGMINT_RULES_TIMEOUT and ready resolves", async () => {
    let held: Route | undefined;
    const opened = await open(
      pageWith(`<script src="/segmint.min.js" data-rules="/fixtures/hang.rules.json"></script>`),
      async (page) => {
        await page.clock.install();
        // Held, never answered (until the context closes).
        await page.route(`${server.url}/fixtures/hang.rules.json`, (route) => void (held = route));
      },
      false,
    );
    try {
      const { page } = opened;
      await expect.poll(() => held !== undefined).toBe(true);
      await expectPageWorks(opened); // while segmint waits
      expect(opened.warnings).toEqual([]);
      await page.clock.runFor(5_000);
      await ready(page);
      expect(await headline(page)).toBe("Original");
      expectOneWarning(opened, "SEGMINT_RULES_TIMEOUT");
      await expectPageWorks(opened, 2);
    } finally {
      await opened.context.close();
    }
  });
});

describe("the page's own mistakes", () => {
  it("a listener that throws: isolated, one SEGMINT_LISTENER_FAILED however often it throws; segmint goes on", async () => {
    const listeners = `<script>
      window.segmint.on("ready", function () { throw new Error("ready listener boom"); });
      window.segmint.on("segments", function () { throw new Error("segments listener boom"); });
      window.segmint.on("exposure", function () { throw new Error("exposure listener boom"); });
      window.segmint.on("error", function () { throw new Error("error listener boom"); });
    </script>`;
    const opened = await open(pageWith(`${inlineRules}<script src="/segmint.min.js"></script>${listeners}`));
    try {
      const { page } = opened;
      await page.evaluate(() => {
        const sm = (window as unknown as { segmint: { track(type: string): void; setTraits(t: object): void } }).segmint;
        sm.track("signup");
        sm.setTraits({ plan: "pro" });
      });
      await page.evaluate(() => new Promise((resolve) => queueMicrotask(() => resolve(undefined))));
      expect(await headline(page)).toBe("Changed");
      expectOneWarning(opened, "SEGMINT_LISTENER_FAILED");
      await expectPageWorks(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("the script included twice: one instance, one page view, each change applied once, no warning", async () => {
    const opened = await open(pageWith(`${inlineRules}<script src="/segmint.min.js"></script><script>window.__first = window.segmint;</script>
      <script src="/segmint.min.js"></script>`));
    try {
      const { page } = opened;
      const seen = await page.evaluate(async () => {
        const w = window as unknown as { segmint: { context(): { visitor: { pageviews: number } }; export(): Promise<{ events: Array<{ type: string }> }> }; __first: unknown };
        const exported = await w.segmint.export();
        return {
          same: w.segmint === w.__first,
          pageviews: w.segmint.context().visitor.pageviews,
          storedPageviews: exported.events.filter((e) => e.type === "pageview").length,
          list: document.querySelector("#list")?.textContent,
        };
      });
      expect(seen).toEqual({ same: true, pageviews: 1, storedPageviews: 1, list: "list +added" });
      expect(await headline(page)).toBe("Changed");
      expect(opened.warnings).toEqual([]);
      await expectPageWorks(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("destroy() while the rules are loading: the late rules change nothing, no warning", async () => {
    let held: Route | undefined;
    const opened = await open(
      pageWith(`<script src="/segmint.min.js" data-rules="/fixtures/late.rules.json"></script>`),
      (page) => page.route(`${server.url}/fixtures/late.rules.json`, (route) => void (held = route)),
      false,
    );
    try {
      const { page } = opened;
      await expect.poll(() => held !== undefined).toBe(true);
      await page.evaluate(() => (window as unknown as { segmint: { destroy(): void } }).segmint.destroy());
      await held!.fulfill({ contentType: "application/json", body: JSON.stringify(RULES) });
      await ready(page);
      const seen = await page.evaluate(() => ({
        title: document.querySelector("#title")?.textContent,
        list: document.querySelector("#list")?.textContent,
        classes: document.documentElement.className,
        sheets: document.adoptedStyleSheets.length,
      }));
      expect(seen).toEqual({ title: "Original", list: "list", classes: "", sheets: 0 });
      expect(opened.warnings).toEqual([]);
      await expectPageWorks(opened);
    } finally {
      await opened.context.close();
    }
  });
});

describe("storage that fails", () => {
  type Sm = { track(type: string): void; export(): Promise<{ events: Array<{ type: string }> }>; context(): { visitor: { pageviews: number } } };
  const page = pageWith(`${inlineRules}<script src="/segmint.min.js"></script>`);
  const storedTypes = (p: Page) => p.evaluate(async () => (await (window as unknown as { segmint: Sm }).segmint.export()).events.map((e) => e.type));
  // The first visit's page view, the headline experience's exposure, and a custom event.
  const BEFORE = ["pageview", "exposure", "before"];
  const track = (p: Page, type: string) => p.evaluate((t) => (window as unknown as { segmint: Sm }).segmint.track(t), type);

  const url = () => `${server.url}/fixtures/fault.html`;
  /** A new tab of `context` that serves the fault page. */
  async function faultTab(context: BrowserContext): Promise<Page> {
    const tab = await context.newPage();
    await tab.route(url(), (route) => route.fulfill({ contentType: "text/html", body: page }));
    return tab;
  }

  /** A first visit that stores a pageview and a `before` event for real, in the context `opened` will reuse. */
  async function visitBefore(context: BrowserContext): Promise<void> {
    const first = await faultTab(context);
    await first.goto(url());
    await ready(first);
    await track(first, "before");
    await expect.poll(() => storedTypes(first)).toEqual(BEFORE);
    await first.close();
  }

  /**
   * Opens the fault page in a context that already has a stored visit: `afterVisit` may then damage what was stored,
   * `fault` is installed before any script of the page, `setup` runs just before it loads.
   */
  async function openAfterVisit(
    fault?: () => void,
    setup?: (p: Page) => Promise<unknown>,
    afterVisit?: (context: BrowserContext) => Promise<unknown>,
  ): Promise<Opened> {
    const context = await browser.newContext();
    await visitBefore(context);
    await afterVisit?.(context);
    const p = await faultTab(context);
    const opened: Opened = { page: p, context, warnings: [], errors: [] };
    p.on("console", (m) => m.type() === "warning" && m.text().startsWith("[segmint]") && opened.warnings.push(m.text()));
    p.on("pageerror", (error) => opened.errors.push(String(error)));
    if (fault) await p.addInitScript(fault);
    await setup?.(p);
    await p.goto(url());
    return opened;
  }

  /** The next visit, storage healthy again: what was stored before the fault is all still there. */
  async function expectNothingLost({ context }: Opened): Promise<string[]> {
    const later = await faultTab(context);
    await later.goto(url());
    await ready(later);
    const types = await storedTypes(later);
    expect(types.slice(0, BEFORE.length)).toEqual(BEFORE);
    return types;
  }

  it("unavailable (the indexedDB getter throws): personalized from memory, one SEGMINT_STORAGE_UNAVAILABLE", async () => {
    const opened = await openAfterVisit(() => {
      Object.defineProperty(window, "indexedDB", { get: () => { throw new DOMException("storage blocked", "SecurityError"); } });
    });
    try {
      await ready(opened.page);
      expect(await headline(opened.page)).toBe("Changed");
      await track(opened.page, "during");
      expect(await storedTypes(opened.page)).toEqual(["pageview", "exposure", "during"]);
      expectOneWarning(opened, "SEGMINT_STORAGE_UNAVAILABLE");
      await expectPageWorks(opened);
      await expectNothingLost(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("hanging (open never answers): the page works meanwhile; after 3 s, one SEGMINT_STORAGE_TIMEOUT", async () => {
    const opened = await openAfterVisit(
      () => {
        // A request that never fires: what Firefox private mode and a wedged Safari did.
        IDBFactory.prototype.open = () => ({}) as IDBOpenDBRequest;
      },
      (p) => p.clock.install(),
    );
    try {
      const { page: p } = opened;
      await expectPageWorks(opened);
      await p.clock.runFor(3_000);
      await ready(p);
      expect(await headline(p)).toBe("Changed");
      expectOneWarning(opened, "SEGMINT_STORAGE_TIMEOUT");
      await expectPageWorks(opened, 2);
      await expectNothingLost(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("closing (the connection closes twice): reopened once, then one SEGMINT_STORAGE_CLOSED; events kept in memory", async () => {
    const opened = await openAfterVisit(() => {
      const connections: IDBDatabase[] = [];
      (window as unknown as { closeConnections(): void }).closeConnections = () => connections.forEach((db) => db.close());
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (this: IDBFactory, ...args: [string, number?]) {
        const request = open.apply(this, args);
        request.addEventListener("success", () => connections.push(request.result));
        return request;
      };
    });
    try {
      const { page: p } = opened;
      await ready(p);
      const closeAll = () => p.evaluate(() => (window as unknown as { closeConnections(): void }).closeConnections());
      await closeAll();
      await track(p, "after-first-close");
      await expect.poll(() => storedTypes(p)).toContain("after-first-close");
      expect(opened.warnings).toEqual([]);
      await closeAll();
      await track(p, "after-second-close");
      await expect.poll(() => opened.warnings.length).toBe(1);
      expectOneWarning(opened, "SEGMINT_STORAGE_CLOSED");
      expect(await storedTypes(p)).toContain("after-second-close");
      expect(await headline(p)).toBe("Changed");
      await expectPageWorks(opened);
      expect(await expectNothingLost(opened)).toContain("after-first-close");
    } finally {
      await opened.context.close();
    }
  });

  it("full (the origin's quota is used up): one SEGMINT_STORAGE_FULL, new events kept in memory, stored ones untouched", async () => {
    const opened = await openAfterVisit(() => {
      // What a full origin does: every transaction that writes aborts, its error a QuotaExceededError. (Chromium's
      // CDP quota override lets small IndexedDB writes through, so the failure is staged on the prototypes.)
      const full = new WeakSet<IDBTransaction>();
      const quota = new DOMException("The quota has been exceeded.", "QuotaExceededError");
      const error = Object.getOwnPropertyDescriptor(IDBTransaction.prototype, "error")!.get!;
      Object.defineProperty(IDBTransaction.prototype, "error", {
        get(this: IDBTransaction) {
          return full.has(this) ? quota : error.call(this);
        },
      });
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
        const request = put.apply(this, args);
        const tx = this.transaction;
        // At commit, as the browser does: the writes queued in the same task are accepted first.
        if (!full.has(tx)) (full.add(tx), queueMicrotask(() => tx.abort()));
        return request;
      };
      const commit = IDBTransaction.prototype.commit;
      IDBTransaction.prototype.commit = function (this: IDBTransaction) {
        return full.has(this) ? undefined : commit.call(this);
      };
    });
    try {
      const { page: p } = opened;
      await ready(p);
      await track(p, "during");
      await expect.poll(() => opened.warnings.length).toBe(1);
      expectOneWarning(opened, "SEGMINT_STORAGE_FULL");
      expect(await storedTypes(p)).toEqual(expect.arrayContaining(["before", "during"]));
      expect(await headline(p)).toBe("Changed");
      await expectPageWorks(opened);
      await expectNothingLost(opened);
    } finally {
      await opened.context.close();
    }
  });

  it("corrupt stored values: skipped with one SEGMINT_STORAGE_CORRUPT, everything readable kept", async () => {
    const opened = await openAfterVisit(undefined, undefined, async (context) => {
      const vandal = await context.newPage();
      await vandal.goto(`${server.url}/fixtures/sent.html`);
      await vandal.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const request = indexedDB.open("segmint-events");
            request.onsuccess = () => {
              const tx = request.result.transaction("keyval", "readwrite");
              tx.objectStore("keyval").put("not an event", [1, "junk-a"]);
              tx.objectStore("keyval").put({ t: "yesterday" }, [2, "junk-b"]);
              tx.oncomplete = () => (request.result.close(), resolve());
              tx.onerror = () => reject(tx.error);
            };
            request.onerror = () => reject(request.error);
          }),
      );
      await vandal.close();
    });
    const { page: p } = opened;
    try {
      await ready(p);
      expectOneWarning(opened, "SEGMINT_STORAGE_CORRUPT");
      expect(await p.evaluate(() => (window as unknown as { segmint: Sm }).segmint.context().visitor.pageviews)).toBe(2);
      expect(await headline(p)).toBe("Changed");
      await expectPageWorks(opened);
      await expectNothingLost(opened);
    } finally {
      await opened.context.close();
    }
  });
});
