// The demo README's walk ("The walk", demo/README.md), step by step, in real Chromium: one visitor (one browser
// context, so IndexedDB persists between steps) on the demo served with the strict CSP. Each step asserts what the
// README says the visitor sees, and writes a screenshot to test-results/screenshots/walk-<n>-<name>.png for
// reviewers (not committed). Time on a page passes with Playwright's clock, never slept.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, serveDemo, watchConsole, type DemoServer } from "./harness";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
// Black Friday 2026, inside the scheduled experience's window (27–30 November).
const START = new Date("2026-11-27T09:00:00Z");
const HERO = "Know what your ops team is waiting on";
const LEDE: Record<string, string> = {
  control: "Northwind Metrics turns tickets, queues and incidents into live dashboards and alerts.",
  a: "Dashboards, alerts and on-call reports your whole ops team can read.",
  b: "See every queue, SLA and incident in one place — set up in ten minutes.",
};

let browser: Browser;
let server: DemoServer;
let context: BrowserContext;
let page: Page;
let seen: { errors: string[]; warnings: string[] };
const violations: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, server] = await Promise.all([launch(), serveDemo({ csp: true })]);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  seen = watchConsole(context);
  await watchCsp(context, violations);
  page = await context.newPage();
  await page.clock.install({ time: START });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** Collects the CSP violations of every page of a context, whatever page they happen on. */
async function watchCsp(browserContext: BrowserContext, into: string[]): Promise<void> {
  await browserContext.exposeFunction("reportViolation", (what: string) => into.push(what));
  await browserContext.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { reportViolation(what: string): void }).reportViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

// ---- what the visitor does -------------------------------------------------------------------------------------

async function ready(): Promise<void> {
  await page.evaluate("window.segmint.ready");
}

async function visit(path: string, referer?: string): Promise<void> {
  await page.goto(`${server.url}${path}`, referer ? { referer } : {});
  await ready();
}

/** Clicks what leads to `url` and waits for that page's segmint (also when `url` is the page already open). */
async function follow(click: () => Promise<void>, url: RegExp): Promise<void> {
  await Promise.all([page.waitForEvent("load"), click()]);
  expect(page.url()).toMatch(url);
  await ready();
}

const navLink = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

async function exitThroughTop(): Promise<void> {
  await page.mouse.move(300, 200);
  await page.mouse.move(300, 5);
  await page.mouse.move(300, -10);
}

async function screenshot(step: number, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}walk-${step}-${name}.png`, fullPage: true });
}

// ---- what the visitor sees -------------------------------------------------------------------------------------

function segments(): Promise<string[]> {
  return page.evaluate("window.segmint.segments()") as Promise<string[]>;
}

function htmlClasses(): Promise<string[]> {
  return page.evaluate(() => Array.from(document.documentElement.classList));
}

async function experience(id: string): Promise<{ state: string; variant?: string }> {
  const all = (await page.evaluate("window.segmint.experiences()")) as Array<{ id: string; state: string; variant?: string }>;
  const found = all.find((e) => e.id === id);
  if (!found) throw new Error(`no experience ${id}`);
  return found;
}

function text(selector: string): Promise<string> {
  return page.locator(selector).innerText();
}

function visible(selector: string): Promise<boolean> {
  return page.locator(selector).isVisible();
}

function exported(): Promise<{ traits: object; events: Array<{ type: string; experience?: string }> }> {
  return page.evaluate("window.segmint.export()") as never;
}

/** The progressive-profiling fields the contact form shows now, in form order. */
async function shownFields(): Promise<string[]> {
  const names = ["email", "firstName", "role", "company", "companySize", "phone"];
  const shown: string[] = [];
  for (const name of names) if (await visible(`[data-segmint-field=${name}]`)) shown.push(name);
  return shown;
}

// ---- the walk ----------------------------------------------------------------------------------------------------

describe("the demo README's walk", () => {
  it("1. a campaign link: launch banner, launch promo, no newsletter box, and the hero's A/B subtitle", async () => {
    await visit("/?utm_source=newsletter&utm_medium=email&utm_campaign=launch");
    expect(await segments()).toEqual(["from-campaign"]);
    expect(await htmlClasses()).toContain("sm-from-campaign");
    expect(await visible(".announcement")).toBe(true);
    expect(await text(".announcement")).toContain("LAUNCH20");
    expect(await text("#promo h2")).toBe("Launch week: Northwind 3.0");
    expect(await page.getAttribute("#promo", "class")).toContain("promo--launch");
    expect(await visible("#newsletter")).toBe(false);
    expect(await text("#hero h1")).toBe(HERO);
    const subtitle = await experience("hero-subtitle-test");
    expect(["applied", "control"]).toContain(subtitle.state);
    expect(await text("#hero .lede")).toBe(LEDE[subtitle.variant as string]);
    expect(await text("#segments")).toBe("from-campaign");
    await screenshot(1, "campaign");
  });

  it("2. reading two docs pages makes a docs reader: a new header button, then a walkthrough offer after 10 s", async () => {
    await follow(() => navLink("Docs").click(), /\/docs\/$/);
    await follow(() => page.getByRole("link", { name: "Getting started" }).first().click(), /\/docs\/getting-started\/$/);
    await page.clock.runFor(20_000);
    await follow(() => page.locator(".docs-nav").getByRole("link", { name: "Dashboards" }).click(), /\/docs\/dashboards\/$/);
    expect(await segments()).not.toContain("docs-reader"); // 20 s so far: the segment needs 30
    expect(await text("#nav-cta")).toBe("Start free trial");
    await page.clock.runFor(20_000);
    await follow(() => page.locator(".docs-nav").getByRole("link", { name: "Alerts" }).click(), /\/docs\/alerts\/$/);

    expect(await page.evaluate("window.segmint.context().metrics.docsSeconds")).toBe(40);
    expect(await segments()).toContain("docs-reader");
    expect(await htmlClasses()).toContain("sm-docs-reader");
    expect(await text("#nav-cta")).toBe("Get an API key");
    expect(await page.getAttribute("#nav-cta", "href")).toBe("/signup/?plan=developer");
    expect(await page.locator(".docs-help").count()).toBe(0);
    await page.clock.runFor(10_000);
    await expect.poll(() => visible("article .docs-help")).toBe(true);
    expect(await text(".docs-help h2")).toBe("Still reading?");
    await screenshot(2, "docs-reader");
  });

  it("3. a site search lists results and is remembered; a blog post read past 60% offers a trial", async () => {
    await page.fill(".site-search input", "routing");
    await follow(() => page.press(".site-search input", "Enter"), /\/search\/\?q=routing$/);
    const results = await page.locator("#search-results a").allInnerTexts();
    expect(results).toEqual(["Docs: Alerts", "Blog: Alert fatigue is a routing problem"]);
    expect(await text("#search-summary")).toBe("2 results for “routing”");
    expect(await page.evaluate("window.segmint.context().searches")).toEqual(["routing"]);
    expect(await text("#recent-searches")).toBe("routing");
    await screenshot(3, "search");

    await follow(() => page.getByRole("link", { name: "Blog: Alert fatigue is a routing problem" }).click(), /\/blog\/alert-fatigue\/$/);
    expect(await page.locator(".trial-nudge").count()).toBe(0);
    await page.mouse.move(640, 400);
    await page.mouse.wheel(0, 5000);
    await expect.poll(() => visible(".trial-nudge")).toBe(true);
    expect(await text(".trial-nudge h2")).toBe("See your own queues this way");
    expect(await text("#interests")).toMatch(/^technical\b/); // 40 s in the docs, none on this post yet
    await screenshot(3, "blog");
  });

  it("4. pricing twice: the Team plan is recommended, with the Black Friday ribbon of the scheduled experience", async () => {
    await follow(() => navLink("Pricing").click(), /\/pricing\/$/);
    expect(await segments()).not.toContain("pricing-intent");
    expect(await visible("#sale-ribbon")).toBe(true);
    expect(await page.getAttribute("#plan-team", "class")).toBe("plan");
    expect(await visible("#plan-team .plan-badge")).toBe(false);

    await follow(() => navLink("Pricing").click(), /\/pricing\/$/);
    expect(await segments()).toContain("pricing-intent");
    expect(await htmlClasses()).toContain("sm-pricing-intent");
    expect(await page.getAttribute("#plan-team", "class")).toBe("plan plan--recommended");
    expect(await text("#plan-team .plan-badge")).toBe("Recommended for you");
    expect(await visible("[data-segmint-show=pricing-intent]")).toBe(true);
    expect(await experience("pricing-exit-offer")).toMatchObject({ state: "waiting" });
    await screenshot(4, "pricing-intent");
  });

  it("5. moving the mouse out of the window shows the exit offer once; after No thanks it stays away", async () => {
    await page.mouse.move(300, 300);
    await page.clock.runFor(6000); // the offer waits for 5 s on the page
    await exitThroughTop();
    await page.clock.runFor(400); // past the 300 ms grace period
    const dialog = page.getByRole("dialog", { name: "Before you go…" });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain("STAY20");
    expect(await page.evaluate(() => document.querySelector("dialog")?.matches(":modal"))).toBe(true);
    await screenshot(5, "exit-offer");

    await dialog.getByRole("button", { name: "No thanks" }).click();
    await expect.poll(() => page.locator("dialog").count()).toBe(0);
    await page.reload();
    await ready();
    expect(await experience("pricing-exit-offer")).toMatchObject({ state: "capped" });
    await page.mouse.move(300, 300);
    await page.clock.runFor(6000);
    await exitThroughTop();
    await page.clock.runFor(400);
    expect(await page.locator("dialog").count()).toBe(0);
  });

  it("6. the contact form asks two new questions; the answers greet the visitor and make a developer", async () => {
    await follow(() => navLink("Contact").click(), /\/contact\/$/);
    expect(await shownFields()).toEqual(["email", "firstName", "role"]);
    await page.fill("#email", "ada@example.com");
    await page.fill("#firstName", "Ada");
    await page.selectOption("#role", "developer");
    await page.fill("#message", "Can we try the API on our staging data?");
    await screenshot(6, "contact");

    await follow(() => page.getByRole("button", { name: "Send" }).click(), /\/contact\/thanks\/$/);
    expect(await text("#thanks-title")).toBe("Thanks, Ada!");
    expect(await segments()).toContain("developer");
    expect(await visible("[data-segmint-show=developer]")).toBe(true);
    await screenshot(6, "thanks");

    await follow(() => navLink("Contact").click(), /\/contact\/$/);
    expect(await shownFields()).toEqual(["email", "company", "companySize"]);
    expect(await page.inputValue("#email")).toBe("ada@example.com");
    await screenshot(6, "contact-again");
  });

  it("7. two purchases make a customer (no trial button) and a VIP (a thank-you note with a code)", async () => {
    await follow(() => navLink("Pricing").click(), /\/pricing\/$/);
    expect(await visible("#nav-cta")).toBe(true);
    expect(await visible("#pricing-note")).toBe(false);
    await page.getByRole("button", { name: "Buy Team" }).click();
    expect(await text("#order-status")).toBe("Order recorded: Team, $490 a year. (A demo: nothing is charged.)");
    await expect.poll(segments).toContain("customer");
    expect(await visible("#nav-cta")).toBe(false);
    expect(await segments()).not.toContain("vip"); // one order so far

    await page.getByRole("button", { name: "Buy SMS alerts" }).click();
    await expect.poll(segments).toContain("vip");
    expect(await visible("#pricing-note")).toBe(true);
    expect(await text("#pricing-note")).toBe("Thank you for being one of our best customers, Ada: take 15% off any add-on with code THANKS15.");
    // The exit offer shown in step 5 counts the purchase as its goal.
    const stored = (await page.evaluate("window.segmint.export()")) as { events: Array<{ type: string; experience?: string; goal?: string }> };
    expect(stored.events.filter((e) => e.type === "conversion").map((e) => [e.experience, e.goal])).toContainEqual(["pricing-exit-offer", "purchase"]);
    await screenshot(7, "vip");
  });

  it("8. coming back later from a search engine: welcome back by name, what's new, the search term", async () => {
    await page.clock.fastForward("45:00"); // past the 30-minute session time-out
    await visit("/", "https://www.google.com/search?q=ops+dashboards");
    const now = await segments();
    expect(now).toEqual(expect.arrayContaining(["seen-before", "returning", "from-search", "developer", "customer", "vip"]));
    expect(now).not.toContain("from-campaign");
    expect(await page.evaluate("window.segmint.context().visitor.sessions")).toBe(2);
    expect(await text("#hero h1")).toBe("Welcome back, Ada — pick up where you left off");
    expect(await text("#hero .cta")).toBe("Continue with the docs");
    expect(await page.getAttribute("#hero .cta", "href")).toBe("/docs/");
    expect(await page.locator("#hero + #whats-new-box").isVisible()).toBe(true);
    expect(await text("#search-welcome")).toBe("Searching for “ops dashboards”? Start with the two-minute product tour below.");
    expect(await visible(".announcement")).toBe(false);
    expect(await text("#promo h2")).toBe("Trusted by 1,200 operations teams");
    expect(await visible("#newsletter")).toBe(true);
    expect(await visible("[data-segmint-show=developer]")).toBe(true);
    await screenshot(8, "returning");
  });

  it("9. the footer's Debug panel link opens the debug panel", async () => {
    await follow(() => page.getByRole("link", { name: "Debug panel" }).click(), /\/\?segmint_debug=1$/);
    await page.waitForSelector("segmint-debug", { state: "attached" });
    expect(await page.evaluate(() => document.querySelector("segmint-debug")?.shadowRoot !== null)).toBe(true);
    expect(await navLink("Rules playground").getAttribute("href")).toBe("/playground/");
    await screenshot(9, "debug-panel");
  });

  it("10. Forget me erases the visitor: no segments, and the page is back to what a new visitor sees", async () => {
    await visit("/?segmint_debug=");
    await page.getByRole("button", { name: "Forget me" }).click();
    await expect.poll(() => text("#forget-status")).toContain("Forgotten");
    expect(await segments()).toEqual([]);
    expect((await htmlClasses()).filter((c) => c.startsWith("sm-"))).toEqual([]);
    expect(await text("#segments")).toBe("(none yet)");
    expect(await text("#hero h1")).toBe(HERO);
    expect(await page.locator("#whats-new-box").count()).toBe(0);
    const stored = await exported();
    expect(stored.traits).toEqual({});
    // Only this page's view as a new visitor (with, maybe, an exposure to the hero's A/B test, bucketed afresh).
    expect(stored.events.filter((e) => e.type !== "segment" && e.type !== "exposure").map((e) => e.type)).toEqual(["pageview"]);
    expect(stored.events.filter((e) => e.type === "exposure").every((e) => e.experience === "hero-subtitle-test")).toBe(true);
    await screenshot(10, "forgotten");
  });

  // The new visitor's start never compares with the forgotten one's segments: no `segment {change: "exit"}` event may
  // tell afterwards that the visitor was a developer and a VIP.
  it("10. …and keeps nothing about the forgotten visitor's segments", async () => {
    const stored = await exported();
    expect(stored.events.filter((e) => e.type === "segment")).toEqual([]);
  });

  it("the scheduled Black Friday ribbon is gone after Cyber Monday", async () => {
    await page.clock.setSystemTime(new Date("2026-12-05T10:00:00Z"));
    await visit("/pricing/");
    expect(await experience("black-friday")).toMatchObject({ state: "scheduled" });
    expect(await visible("#sale-ribbon")).toBe(false);
  });

  it("ran the whole walk under the strict CSP with no violation and no console error", () => {
    expect(violations).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});

describe("every page of the demo", () => {
  // The rules playground (/playground/) is another part of the demo, with its own tests.
  const NOT_HERE = ["/playground/"];

  it("loads under the strict CSP with segmint, the shared nav and footer, no error, and no broken link or form", async () => {
    const visitor = await browser.newContext();
    const { errors } = watchConsole(visitor);
    const blocked: string[] = [];
    await watchCsp(visitor, blocked);
    const tab = await visitor.newPage();
    const queue = ["/"];
    const pages: string[] = [];
    while (queue.length) {
      const path = queue.shift() as string;
      pages.push(path);
      const response = await tab.goto(`${server.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await tab.evaluate("window.segmint.ready");
      expect(await tab.locator("nav[aria-label=Main] a").count(), path).toBe(6);
      expect(await tab.getByRole("button", { name: "Forget me" }).isVisible(), path).toBe(true);
      // Links and form actions, also those in <template>s that experiences and the offer put on the page.
      const targets = await tab.evaluate(() =>
        [document, ...Array.from(document.querySelectorAll("template"), (t) => t.content)]
          .flatMap((root) => Array.from(root.querySelectorAll("a[href], form[action]")))
          .map((el) => new URL(el.getAttribute("href") ?? el.getAttribute("action") ?? "", location.href).href),
      );
      for (const target of targets) {
        const url = new URL(target);
        if (url.origin !== server.url) continue;
        if (!pages.includes(url.pathname) && !queue.includes(url.pathname) && !NOT_HERE.includes(url.pathname)) queue.push(url.pathname);
      }
    }
    expect(pages.sort()).toEqual([
      "/", "/blog/", "/blog/alert-fatigue/", "/blog/sla-dashboards/", "/contact/", "/contact/thanks/",
      "/docs/", "/docs/alerts/", "/docs/api/", "/docs/dashboards/", "/docs/getting-started/",
      "/pricing/", "/search/", "/signup/", "/signup/thanks/",
    ]);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await visitor.close();
  });
});
