// The rules playground (demo/playground/, issue 8) in real Chromium under the demo's strict CSP: problems with their
// paths as you type, a visit history that changes segments and experiences, and the work kept over a reload.
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, serveDemo, watchConsole, type DemoServer } from "./harness";

const RULES = `{
  "version": 1,
  "metrics": {
    "pricingViews": { "count": "pageview", "where": { "path": { "$regex": "^/pricing" } }, "withinDays": 7 }
  },
  "segments": [
    { "id": "hot-lead", "when": { "metrics.pricingViews": { "$gte": 2 } } },
    { "id": "reader", "when": { "page.path": { "$regex": "^/docs" } } }
  ],
  "experiences": [
    { "id": "pricing-offer", "segment": "hot-lead", "changes": [{ "selector": "h1", "text": "Talk to sales" }] }
  ]
}
`;
const ONE_PRICING_VIEW = `{
  "now": "2026-03-02T09:00:00.000Z",
  "events": [
    { "t": "2026-03-02T09:00:00.000Z", "type": "pageview", "path": "/pricing/" }
  ]
}
`;

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), serveDemo({ csp: true })]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const text = (page: Page, selector: string) => page.locator(selector).innerText();
const problems = (page: Page, editor: string) => page.locator(`#${editor}-problems li`).allInnerTexts();
const segments = (page: Page) => page.locator("#segments [data-segment]").allInnerTexts();
const state = (page: Page, experience: string) => page.locator(`#experiences-rows tr[data-experience="${experience}"]`).getAttribute("data-state");
const selected = (page: Page) =>
  page.evaluate(() => {
    const area = document.activeElement as HTMLTextAreaElement;
    return { id: area.id, text: area.value.slice(area.selectionStart, area.selectionEnd) };
  });

describe("the rules playground", () => {
  it("validates as you type, simulates the history, and keeps the work over a reload, under a strict CSP", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const seen = watchConsole(context);
    const page = await context.newPage();
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = violations;
      document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${server.url}/playground/`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");

    // Pre-filled: the demo's own rules and an example history that lands in segments.
    const demoRules = await (await fetch(`${server.url}/segmint.rules.json`)).text();
    await expect.poll(() => page.inputValue("#rules-text")).toBe(demoRules.endsWith("\n") ? demoRules : `${demoRules}\n`);
    await expect.poll(() => text(page, "#rules-status")).toMatch(/^Valid: /);
    await expect.poll(() => segments(page)).not.toEqual([]);

    await page.fill("#rules-text", RULES);
    await expect.poll(() => text(page, "#rules-status")).toBe("Valid: 2 segments, 1 experience, 1 metric.");

    // A typo'd key: its path, the suggestion, its line; choosing it selects the key; the result goes stale.
    await page.fill("#rules-text", RULES.replace('"when"', '"whne"'));
    await expect.poll(() => problems(page, "rules")).toContainEqual(expect.stringMatching(/^line 7\s+segments\[0\]: unknown key "whne" \(did you mean "when"\?\)$/));
    await expect.poll(() => page.locator("#results").getAttribute("class")).toContain("stale");
    await page.locator("#rules-problems button", { hasText: "whne" }).click();
    expect(await selected(page)).toEqual({ id: "rules-text", text: '"whne"' });
    await page.fill("#rules-text", RULES);
    await expect.poll(() => problems(page, "rules")).toEqual([]);

    // An unsafe regex, with its path.
    await page.fill("#rules-text", RULES.replace("^/docs", "(a+)+$"));
    await expect.poll(() => problems(page, "rules")).toContainEqual(expect.stringMatching(/^line 8\s+segments\[1\]\.when\["page\.path"\]\.\$regex: .*backtrack/));
    await page.fill("#rules-text", RULES);
    await expect.poll(() => text(page, "#rules-status")).toMatch(/^Valid: /);

    // A JSON syntax error in the history, with its line and column.
    await page.fill("#history-text", ONE_PRICING_VIEW.replace('"events"', '"events" ['));
    await expect.poll(() => problems(page, "history")).toEqual([expect.stringMatching(/^line 3, column 12\s+not valid JSON: /)]);

    // One pricing view, typed by hand: not a hot lead yet, so the experience is not eligible.
    await page.fill("#history-text", ONE_PRICING_VIEW);
    await expect.poll(() => state(page, "pricing-offer")).toBe("not-eligible");
    expect(await segments(page)).toEqual([]);
    expect(await text(page, '#experiences-rows tr[data-experience="pricing-offer"] .reason')).toBe("not in segment hot-lead");

    // A second one from the visit builder: the segment appears and the experience applies, with the reason why.
    const pageview = page.locator('form[data-step="pageview"]');
    await pageview.locator('input[name="path"]').fill("/pricing/");
    await pageview.locator("button").click();
    await expect.poll(() => segments(page)).toEqual(["hot-lead"]);
    await expect.poll(() => state(page, "pricing-offer")).toBe("applied");
    expect(await page.inputValue("#history-text")).toContain('{ "t": "2026-03-02T09:00:30.000Z", "type": "pageview", "path": "/pricing/" }');
    const condition = page.locator('#explain [data-segment="hot-lead"] tr[data-pass]');
    expect(await condition.allInnerTexts()).toEqual([expect.stringMatching(/✓\s+metrics\.pricingViews\s+\$gte\s+2\s+2/)]);
    expect(await text(page, '#metrics-rows tr[data-metric="pricingViews"] .json')).toBe("2");
    expect(await page.locator("#context-json").textContent()).toContain('"pricingViews": 2');

    // A reload keeps both texts and the result.
    const rulesBefore = await page.inputValue("#rules-text");
    const historyBefore = await page.inputValue("#history-text");
    await page.reload();
    await expect.poll(() => segments(page)).toEqual(["hot-lead"]);
    expect(await page.inputValue("#rules-text")).toBe(rulesBefore);
    expect(await page.inputValue("#history-text")).toBe(historyBefore);
    mkdirSync("test-results/screenshots", { recursive: true });
    await page.screenshot({ path: "test-results/screenshots/playground.png", fullPage: true });

    // "Reset to example" brings the demo's rules back; the browser's Back button brings the work back.
    await page.click("#reset");
    await expect.poll(() => page.inputValue("#rules-text")).not.toBe(rulesBefore);
    await page.goBack();
    await expect.poll(() => page.inputValue("#rules-text")).toBe(rulesBefore);
    expect(await page.inputValue("#history-text")).toBe(historyBefore);

    expect(await page.evaluate("window.__violations")).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});
