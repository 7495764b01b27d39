// The demo served with `Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'` works
// fully — tracked, personalized on the second visit, searchable — with zero violations reported.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, serveDemo, type DemoServer } from "./harness";

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), serveDemo({ csp: true })]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the demo under a strict CSP", () => {
  it("personalizes, tracks and searches with zero violations", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    const response = await page.goto(`${server.url}/`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.evaluate("window.segmint.ready");
    for (const path of ["/docs/", "/pricing/", "/"]) {
      await page.goto(`${server.url}${path}`);
      await page.evaluate("window.segmint.ready");
      expect(await page.evaluate("window.__violations")).toEqual([]);
    }
    expect(await page.textContent("#hero h1")).toBe("Welcome back, friend — pick up where you left off");
    await page.fill("input[type=search]", "pricing");
    await Promise.all([page.waitForURL(/\/search\//), page.press("input[type=search]", "Enter")]);
    await page.evaluate("window.segmint.ready");
    expect(await page.evaluate("window.segmint.context().searches")).toEqual(["pricing"]);
    expect(await page.evaluate("window.__violations")).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
