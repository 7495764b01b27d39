// The debug panel in real Chromium on the demo, under `default-src 'self'; script-src 'self'; style-src 'self'`:
// loaded from /segmint.debug.js only when asked for, drawn in a shadow root with a constructed stylesheet, and its
// QA switch forcing a segment in this tab only. Segment ids come from the demo's rules (the demo changes; the
// "returning" segment stays).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, serveDemo, watchConsole, type DemoServer } from "./harness";

const SHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), serveDemo({ csp: true })]);
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function demoSegmentIds(): Promise<string[]> {
  const rules = (await (await fetch(`${server.url}/segmint.rules.json`)).json()) as { segments: Array<{ id: string }> };
  return rules.segments.map((s) => s.id);
}

// Runs in the page: what the panel's shadow root shows.
const panelSegments = () =>
  Array.from(document.querySelector("segmint-debug")?.shadowRoot?.querySelectorAll<HTMLElement>("[data-segment]") ?? [], (li) => li.dataset.segment);

async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

function requestedPaths(page: Page): string[] {
  const paths: string[] = [];
  page.on("request", (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

describe("the debug panel on the demo", () => {
  it("opens from ?segmint_debug=1 in a shadow root, lists the rules' segments, and forces one for this tab only", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const seen = watchConsole(context);
    const page = await context.newPage();
    await watchViolations(page);
    const requests = requestedPaths(page);

    const response = await page.goto(`${server.url}/?segmint_debug=1`);
    expect(response?.headers()["content-security-policy"]).toContain("style-src 'self'");
    await page.evaluate("window.segmint.ready");
    await page.waitForFunction(() => (document.querySelector("segmint-debug")?.shadowRoot?.querySelectorAll("[data-segment]").length ?? 0) > 0);
    expect(requests).toContain("/segmint.debug.js");
    const ids = await demoSegmentIds();
    expect(ids).toContain("returning");
    expect(await page.evaluate(panelSegments)).toEqual(ids);

    // Styled by its adopted stylesheet (a <style> would be blocked): a fixed drawer, not covering the whole page.
    const drawer = await page.evaluate(() => {
      const aside = document.querySelector("segmint-debug")!.shadowRoot!.querySelector("aside")!;
      const { position } = getComputedStyle(aside);
      return { position, width: aside.getBoundingClientRect().width };
    });
    expect(drawer.position).toBe("fixed");
    expect(drawer.width).toBeGreaterThan(200);
    expect(drawer.width).toBeLessThan(1280 / 2);
    await page.screenshot({ path: `${SHOTS}debug-panel.png` });

    expect(await page.evaluate(() => document.documentElement.classList.contains("sm-returning"))).toBe(false);
    await page.getByRole("checkbox", { name: "Force returning in this tab" }).check();
    await page.waitForFunction(() => document.documentElement.classList.contains("sm-returning"));
    expect(await page.evaluate("window.segmint.segments()")).toContain("returning");
    await expect.poll(() => page.locator("segmint-debug .banner").textContent()).toContain("QA: forcing returning in this tab only");
    await page.getByRole("button", { name: "Why? returning" }).click();
    await page.getByRole("table", { name: "Conditions of returning" }).waitFor();
    expect(await page.getByRole("table", { name: "Conditions of returning" }).locator("tbody tr").count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}debug-panel-forced.png` });

    // The same tab keeps forcing it (and the panel open) on its next page; another tab does not.
    await page.goto(`${server.url}/`);
    await page.evaluate("window.segmint.ready");
    expect(await page.evaluate(() => document.documentElement.classList.contains("sm-returning"))).toBe(true);
    await page.waitForFunction(() => document.querySelector("segmint-debug")?.shadowRoot?.querySelector(".banner:not([hidden])"));
    const other = await context.newPage();
    await other.goto(`${server.url}/`);
    await other.evaluate("window.segmint.ready");
    expect(await other.evaluate(() => document.documentElement.classList.contains("sm-returning"))).toBe(false);
    expect(await other.evaluate(() => document.querySelector("segmint-debug"))).toBeNull();

    await page.getByRole("button", { name: "Minimise" }).click();
    await page.screenshot({ path: `${SHOTS}debug-panel-minimised.png` });
    expect(await page.evaluate("window.__violations")).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("lists a rejected rules file's problems with their paths, with no eval probe reported under the CSP", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const seen = watchConsole(context);
    const page = await context.newPage();
    await watchViolations(page);
    const rules = (await (await fetch(`${server.url}/segmint.rules.json`)).json()) as { segments: Array<Record<string, unknown>> };
    const [first] = rules.segments as [Record<string, unknown>];
    rules.segments[0] = { id: first.id, whne: first.when };
    await page.route("**/segmint.rules.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(rules) }));
    await page.goto(`${server.url}/?segmint_debug=1`);
    await page.evaluate("window.segmint.ready");
    const problems = page.locator("segmint-debug .problems li");
    await expect.poll(() => problems.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^SEGMINT_RULES_INVALID /), expect.stringContaining("segments[0]")]));
    expect((await problems.allTextContents()).join("\n")).toMatch(/when/);
    await page.screenshot({ path: `${SHOTS}debug-panel-problems.png` });
    expect(await page.evaluate("window.__violations")).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("is never requested by a page without the parameter", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests = requestedPaths(page);
    for (const path of ["/", "/docs/", "/"]) {
      await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
      await page.evaluate("window.segmint.ready");
    }
    expect(requests).toContain("/segmint.min.js");
    expect(requests).not.toContain("/segmint.debug.js");
    expect(await page.evaluate(() => document.querySelector("segmint-debug"))).toBeNull();
    await context.close();
  });
});
