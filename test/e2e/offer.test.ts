// Exit-intent offers in real Chromium (issue 6): the pointer leaving through the top edge on desktop, a flick back
// up on a phone, the native <dialog> (name, focus, Escape, the page usable again), the frequency cap across
// reloads, the call to action as a conversion, and holdout visitors exposed as control without seeing anything.
// Time on page is passed with Playwright's clock, never slept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
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

interface StoredEvent {
  type: string;
  experience?: string;
  action?: string;
  variant?: string;
  goal?: string;
}

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.clock.install({ time: new Date("2026-11-20T10:00:00Z") });
  await page.goto(`${server.url}${path}`);
  await page.evaluate("window.segmint.ready");
  return page;
}

// Playwright moves the pointer out of the viewport for real: Chromium sends a `mouseout` with no relatedTarget at
// the last position, which is what a visitor heading for the tab bar or the close button produces.
async function exitThroughTop(page: Page, x = 300): Promise<void> {
  await page.mouse.move(x, 200);
  await page.mouse.move(x, 5);
  await page.mouse.move(x, -10);
}

async function exitThroughSide(page: Page, y = 300): Promise<void> {
  await page.mouse.move(200, y);
  await page.mouse.move(5, y);
  await page.mouse.move(-10, y);
}

async function storedEvents(page: Page, type: string): Promise<StoredEvent[]> {
  const data = (await page.evaluate("window.segmint.export()")) as { events: StoredEvent[] };
  return data.events.filter((e) => e.type === type);
}

async function experience(page: Page, id: string): Promise<{ state: string; variant?: string; reason?: string } | undefined> {
  const all = (await page.evaluate("window.segmint.experiences()")) as Array<{ id: string; state: string }>;
  return all.find((e) => e.id === id);
}

describe("desktop exit intent", () => {
  it("shows the offer as a named modal dialog, closes on Escape with focus restored, then stays capped", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const seen = watchConsole(context);
    const page = await open(context, "/fixtures/offer.html");
    expect(await experience(page, "exit-offer")).toMatchObject({ state: "waiting" });

    await page.focus("#buy");
    await page.mouse.move(300, 300);
    await page.clock.runFor(6000);
    await exitThroughTop(page);
    await page.clock.runFor(400); // past graceMs (300)

    const dialog = page.getByRole("dialog", { name: "Before you go" });
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await page.locator("dialog[open]").count()).toBe(1);
    expect(await page.evaluate(() => document.querySelector("dialog")?.matches(":modal"))).toBe(true);
    const labelledBy = await page.getAttribute("dialog[open]", "aria-labelledby");
    expect(await page.textContent(`[id="${labelledBy}"]`)).toBe("Before you go");
    expect(await page.evaluate(() => document.querySelector("dialog")?.contains(document.activeElement))).toBe(true);
    expect(await page.getByRole("button", { name: "Close" }).isVisible()).toBe(true);
    expect(await page.getAttribute("dialog[open] a.segmint-offer-cta", "href")).toBe("/fixtures/thanks.html?code=STAY20");

    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("dialog").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("buy");
    await page.click("#buy", { timeout: 2000 }); // the page is no longer inert
    expect(await page.textContent("#clicks")).toBe("1");

    const offers = await storedEvents(page, "offer");
    expect(offers.map((e) => [e.experience, e.action])).toEqual([["exit-offer", "show"], ["exit-offer", "dismiss"]]);
    expect((await storedEvents(page, "exposure")).map((e) => [e.experience, e.variant])).toEqual([["exit-offer", "treated"]]);
    // Exit intent fires once per page view: a second exit on this page shows nothing.
    await exitThroughTop(page);
    await page.clock.runFor(400);
    expect(await page.locator("dialog").count()).toBe(0);

    // maxShows 1 per 7 days: the next page view is capped.
    await page.reload();
    await page.evaluate("window.segmint.ready");
    expect(await experience(page, "exit-offer")).toMatchObject({ state: "capped" });
    await page.mouse.move(300, 300);
    await page.clock.runFor(6000);
    await exitThroughTop(page);
    await page.clock.runFor(400);
    expect(await page.locator("dialog").count()).toBe(0);
    expect((await storedEvents(page, "offer")).filter((e) => e.action === "show")).toHaveLength(1);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("ignores an exit before minSecondsOnPage, through a side, or one the pointer comes back from", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await open(context, "/fixtures/offer.html");

    await page.mouse.move(300, 300);
    await page.clock.runFor(2000);
    await exitThroughTop(page); // too early
    await page.clock.runFor(1000);
    expect(await page.locator("dialog").count()).toBe(0);

    await page.clock.runFor(4000); // 7 s on the page now
    await exitThroughSide(page);
    await page.clock.runFor(1000);
    expect(await page.locator("dialog").count()).toBe(0);

    await exitThroughTop(page);
    await page.clock.runFor(100);
    await page.mouse.move(300, 100); // back within graceMs
    await page.clock.runFor(1000);
    expect(await page.locator("dialog").count()).toBe(0);
    expect(await storedEvents(page, "offer")).toEqual([]);

    // None of those used up the trigger: a real exit still shows the offer.
    await exitThroughTop(page);
    await page.clock.runFor(400);
    await expect.poll(() => page.locator("dialog[open]").count()).toBe(1);
    await context.close();
  });
});

describe("touch exit intent", () => {
  // Scrolls and resolves once the page has seen the resulting `scroll` event.
  async function scrollTo(page: Page, y: number): Promise<void> {
    await page.evaluate(
      (top) =>
        new Promise<void>((resolve) => {
          if (Math.abs(window.scrollY - top) < 1) return resolve();
          window.addEventListener("scroll", () => resolve(), { once: true });
          window.scrollTo(0, top);
        }),
      y,
    );
  }

  it("shows the offer on a phone when the visitor flicks back up after reading half the page", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await open(context, "/fixtures/offer-long.html");
    expect(await page.evaluate("window.segmint.context().device.touch")).toBe(true);
    await page.clock.runFor(6000);

    // Reading down past the middle, slowly.
    for (const y of [800, 1600, 2400, 3200, 4000]) {
      await scrollTo(page, y);
      await page.clock.runFor(500);
    }
    // Scrolling back up slowly (reading back) is no exit.
    for (const y of [3900, 3800, 3700, 3600, 3500]) {
      await scrollTo(page, y);
      await page.clock.runFor(400);
    }
    expect(await page.locator("dialog").count()).toBe(0);

    // A flick: more than half a screen (422 px) up within 300 ms (the run starts at its first scroll event).
    for (const y of [3300, 3100, 2900, 2700]) {
      await scrollTo(page, y);
      await page.clock.runFor(50);
    }
    await expect.poll(() => page.getByRole("dialog", { name: "Before you go" }).count()).toBe(1);
    await context.close();
  });
});

describe("the call to action", () => {
  it("counts as a conversion with goal offer, and its link navigates", async () => {
    const context = await browser.newContext();
    const page = await open(context, "/fixtures/offer.html");
    const seen: unknown[] = [];
    await page.exposeFunction("saw", (name: string, payload: unknown) => seen.push([name, payload]));
    await page.evaluate(`
      window.segmint.on("offer", (o) => window.saw("offer", o));
      window.segmint.on("conversion", (c) => window.saw("conversion", c));
    `);

    await page.mouse.move(300, 300);
    await page.clock.runFor(6000);
    await exitThroughTop(page);
    await page.clock.runFor(400);
    await page.getByRole("link", { name: "Claim it" }).click();
    await page.waitForURL(/\/fixtures\/thanks\.html\?code=STAY20$/);
    // What the page reported as the visitor left it (what was stored is the skipped test's matter, below).
    await expect.poll(() => seen).toEqual([
      ["offer", { experience: "exit-offer", action: "show" }],
      ["offer", { experience: "exit-offer", action: "accept" }],
      ["conversion", { experience: "exit-offer", variant: "treated", goal: "offer" }],
    ]);
    await page.evaluate("window.segmint.ready");
    expect((await storedEvents(page, "exposure")).map((e) => [e.experience, e.variant])).toEqual([["exit-offer", "treated"]]);
    await context.close();
  });

  // Known bug (reported; the fix is in src/store/storage.ts, outside this suite's remit): events recorded in the
  // task that leaves the page are lost about one time in five. Chromium aborts an IndexedDB transaction that has not
  // committed when the document unloads; calling `store.transaction.commit()` after the batch's puts fixes it
  // (60 of 60 runs kept the conversion, against 16 of 20 without). Enable once that lands.
  it("keeps the conversion recorded by the click that navigates away (20 tries)", async () => {
    for (let i = 0; i < 20; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/fixtures/offer.html`);
      await page.evaluate("window.segmint.ready");
      await page.evaluate("window.segmint.showOffer('exit-offer')");
      await page.getByRole("link", { name: "Claim it" }).click();
      await page.waitForURL(/\/fixtures\/thanks\.html/);
      await page.evaluate("window.segmint.ready");
      expect((await storedEvents(page, "conversion")).map((e) => e.goal), `try ${i + 1}`).toEqual(["offer"]);
      await context.close();
    }
  });
});

describe("holdout", () => {
  it("never shows the offer to control visitors, but exposes them as control when the trigger fires", async () => {
    const context = await browser.newContext();
    const page = await open(context, "/fixtures/offer-holdout.html");
    expect(await experience(page, "exit-held")).toMatchObject({ state: "control", variant: "control" });

    await page.mouse.move(300, 300);
    await page.clock.runFor(6000);
    expect(await storedEvents(page, "exposure")).toEqual([]); // not before the trigger
    await exitThroughTop(page);
    await page.clock.runFor(400);

    await expect.poll(async () => (await storedEvents(page, "exposure")).map((e) => [e.experience, e.variant])).toEqual([["exit-held", "control"]]);
    expect(await page.locator("dialog").count()).toBe(0);
    expect(await storedEvents(page, "offer")).toEqual([]);
    await page.evaluate("window.segmint.showOffer('exit-held')"); // not even when asked for
    expect(await page.locator("dialog").count()).toBe(0);
    await context.close();
  });
});
