// Tracking and storage in real Chromium: a visit from Google with campaign tags, several pages, a site search,
// a new session later (clock fast-forwarded), and two tabs writing at once without losing an event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
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

async function open(page: Page, path: string, referer?: string): Promise<void> {
  await page.goto(`${server.url}${path}`, referer ? { referer } : {});
  await page.evaluate("window.segmint.ready");
}

function context(page: Page): Promise<any> {
  return page.evaluate("window.segmint.context()");
}

describe("a visitor's journey", () => {
  it("arrives from Google with UTM tags, browses, searches and returns in a new session", async () => {
    const browserContext = await browser.newContext();
    const page = await browserContext.newPage();
    await page.clock.install({ time: new Date("2026-11-20T10:00:00Z") });

    await open(page, "/?utm_source=newsletter&utm_medium=cpc&utm_campaign=spring", "https://www.google.com/");
    let ctx = await context(page);
    expect(ctx.session.referrer).toMatchObject({ type: "paid", host: "www.google.com", engine: "google" });
    expect(ctx.session.utm).toEqual({ source: "newsletter", medium: "cpc", campaign: "spring" });

    await page.mouse.move(100, 100);
    await page.clock.runFor(4000);
    await page.mouse.move(120, 140);
    await page.clock.runFor(4000);
    await Promise.all([page.waitForURL(/\/docs\/$/), page.click("nav >> text=Docs")]);
    await page.evaluate("window.segmint.ready");
    await Promise.all([page.waitForURL(/\/pricing\/$/), page.click("nav >> text=Pricing")]);
    await page.evaluate("window.segmint.ready");
    await page.fill("input[type=search]", "  single sign-on  ");
    await page.press("input[type=search]", "Enter");
    await page.waitForURL(/\/search\//);
    await page.evaluate("window.segmint.ready");

    ctx = await context(page);
    expect(ctx.session.number).toBe(1);
    expect(ctx.session.pageviews).toBe(4);
    expect(ctx.visitor.pageviews).toBe(4);
    expect(ctx.pages).toEqual(["/search/", "/pricing/", "/docs/", "/"]);
    expect(ctx.searches).toEqual(["single sign-on"]);
    expect(ctx.visitor.seconds).toBeGreaterThanOrEqual(7);
    expect(ctx.visitor.seconds).toBeLessThanOrEqual(12);

    await page.clock.fastForward("45:00");
    await open(page, "/pricing/");
    ctx = await context(page);
    expect(ctx.session.number).toBe(2);
    expect(ctx.visitor.sessions).toBe(2);
    expect(ctx.visitor.returning).toBe(true);
    expect(ctx.session.referrer.type).toBe("direct");
    expect(ctx.visitor.pageviews).toBe(5);
    await browserContext.close();
  });
});

describe("two tabs", () => {
  it("record 200 events each at the same time, and all 400 are stored", async () => {
    const browserContext = await browser.newContext();
    const [a, b] = await Promise.all([browserContext.newPage(), browserContext.newPage()]);
    await Promise.all([open(a, "/docs/"), open(b, "/docs/")]);
    const burst = async (page: Page, tab: string) =>
      page.evaluate(async (name) => {
        for (let i = 0; i < 200; i++) {
          (window as any).segmint.track("burst", { tab: name, i });
          if (i % 20 === 0) await new Promise((r) => setTimeout(r, 0));
        }
        (window as any).segmint.destroy(); // flushes the batched writes
      }, tab);
    await Promise.all([burst(a, "a"), burst(b, "b")]);
    const reader = await browserContext.newPage();
    await reader.goto(`${server.url}/search/`);
    const counts = await reader.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open("segmint-events");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const store = db.objectStoreNames[0] as string;
      const all = await new Promise<any[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      db.close();
      const bursts = all.filter((e) => e && e.type === "burst");
      return { a: bursts.filter((e) => e.tab === "a").length, b: bursts.filter((e) => e.tab === "b").length };
    });
    expect(counts).toEqual({ a: 200, b: 200 });
    await browserContext.close();
  });
});
