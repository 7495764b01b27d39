// The walking skeleton in real Chromium: the demo loaded twice, history kept in IndexedDB for real.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, serveDemo, watchConsole, type DemoServer } from "./harness";

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), serveDemo()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const ready = "window.segmint && window.segmint.ready";

describe("the demo's second visit is personalized", () => {
  it("shows the original hero first, then the welcome-back hero from stored history", async () => {
    const context = await browser.newContext();
    const seen = watchConsole(context);
    const page = await context.newPage();

    await page.goto(`${server.url}/`);
    await page.evaluate(ready);
    expect(await page.textContent("#hero h1")).toBe("Know what your ops team is waiting on");
    expect(await page.evaluate("window.segmint.segments()")).toEqual([]);

    await page.reload();
    await page.evaluate(ready);
    expect(await page.textContent("#hero h1")).toBe("Welcome back, friend — pick up where you left off");
    expect(await page.getAttribute("#hero .cta", "href")).toBe("/docs/");
    expect(await page.evaluate("window.segmint.segments()")).toEqual(["seen-before"]);
    expect(await page.evaluate("document.documentElement.classList.contains('sm-seen-before')")).toBe(true);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("keeps the page views in IndexedDB, where a fresh read of the database finds them", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (let i = 0; i < 3; i++) {
      await page.goto(`${server.url}/`);
      await page.evaluate(ready);
      await page.evaluate("window.segmint.destroy()"); // flushes the batched writes now
    }
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open("segmint-events");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const names = Array.from(db.objectStoreNames);
      const all = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction(names[0] as string).objectStore(names[0] as string).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      db.close();
      return (all as Array<{ type?: string }>).filter((e) => e && e.type === "pageview").length;
    });
    expect(stored).toBe(3);
    await page.goto(`${server.url}/`);
    await page.evaluate(ready);
    expect(await page.evaluate("window.segmint.context().visitor.pageviews")).toBe(4);
    await context.close();
  });

  it("replays commands queued before the script loaded", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const queue: unknown[] = [];
      queue.push(["track", "signup", { plan: "pro" }]);
      queue.push(["setTraits", { firstName: "Ada" }]);
      (window as unknown as { segmint: unknown }).segmint = queue;
    });
    await page.goto(`${server.url}/`);
    await page.evaluate(ready);
    await page.reload();
    await page.evaluate(ready);
    expect(await page.evaluate("window.segmint.context().traits.firstName")).toBe("Ada");
    expect(await page.textContent("#hero h1")).toBe("Welcome back, Ada — pick up where you left off");
    expect(Array.isArray(await page.evaluate("window.segmint"))).toBe(false);
    await context.close();
  });
});
