// Progressive profiling in real Chromium (issue 7): the site's own form asks two new questions per visit, keeps the
// known answers hidden but pre-filled (the site still receives complete submissions), refuses invalid values with
// the browser's own message, and what it learns becomes traits that segments use. Sensitive answers are stored as
// the fact that they were answered, never the value.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
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

const FORM = "/fixtures/profile.html";
// Where each field's control is in the fixture (its wrapper, or the control itself for unwrapped ones).
const FIELDS = {
  email: "[data-segmint-field=email]",
  company: "[data-segmint-field=company]",
  role: "[data-segmint-field=role]",
  companySize: "#companySize",
  phone: "#phone",
} as const;
type Field = keyof typeof FIELDS;

async function visit(page: Page): Promise<void> {
  await page.goto(`${server.url}${FORM}`);
  await page.evaluate("window.segmint.ready");
}

async function visibleFields(page: Page): Promise<Field[]> {
  const shown: Field[] = [];
  for (const [name, selector] of Object.entries(FIELDS) as Array<[Field, string]>) if (await page.isVisible(selector)) shown.push(name);
  return shown;
}

// Submits into the fixture's frame and resolves with what the site received, once the answers are stored.
// The frame keeps this page alive: a submit that unloads the page can lose the answers (a known bug in the store,
// reported with its fix; see the skipped test in offer.test.ts), which is not what this test is about.
async function submit(page: Page, learned: Field[]): Promise<URLSearchParams> {
  const [frame] = await Promise.all([
    page.waitForEvent("framenavigated", (f) => f.name() === "sent" && f.url().includes("/fixtures/sent.html")),
    page.click("button[type=submit]"),
  ]);
  await expect.poll(async () => Object.keys((await stored(page)).traits ?? {})).toEqual(expect.arrayContaining(learned));
  return new URL(frame.url()).searchParams;
}

async function stored(page: Page): Promise<{ traits: Record<string, unknown>; events: Array<{ type: string; fields?: string[] }> }> {
  return page.evaluate("window.segmint.export()") as never;
}

describe("a progressive-profiling form over three visits", () => {
  it("asks two new fields per visit, pre-fills the known ones, feeds segments and keeps sensitive values out", async () => {
    const context = await browser.newContext();
    const seen = watchConsole(context);
    const page = await context.newPage();

    // Visit 1: email and company; the rest hidden (label too, for unwrapped controls).
    await visit(page);
    expect(await visibleFields(page)).toEqual(["email", "company"]);
    expect(await page.isVisible("label[for=companySize]")).toBe(false);
    expect(await page.isVisible("label[for=phone]")).toBe(false);

    // An invalid email blocks the submit with the browser's own message, though the input is a plain text field.
    await page.fill("#email", "ada@");
    await page.fill("[name=company]", "Acme");
    expect(await page.evaluate(() => (document.querySelector("#email") as HTMLInputElement).validationMessage)).not.toBe("");
    expect(await page.evaluate(() => document.querySelector("form")?.checkValidity())).toBe(false);
    await page.click("button[type=submit]");
    expect(page.frame({ name: "sent" })?.url()).toBe("about:blank"); // not submitted
    expect((await stored(page)).traits ?? {}).toEqual({}); // nothing learned (export() omits an empty traits document)

    await page.fill("#email", "ada@example.com");
    expect(await page.evaluate(() => (document.querySelector("#email") as HTMLInputElement).validationMessage)).toBe("");
    // The site receives the answers as submitted.
    expect((await submit(page, ["email", "company"])).get("email")).toBe("ada@example.com");
    expect((await stored(page)).traits).toMatchObject({ email: "ada@example.com", company: "Acme" });

    // Visit 2: role and company size; the known fields hidden but pre-filled.
    await visit(page);
    expect(await visibleFields(page)).toEqual(["role", "companySize"]);
    expect(await page.inputValue("#email")).toBe("ada@example.com");
    expect(await page.inputValue("[name=company]")).toBe("Acme");
    expect(await page.evaluate("window.segmint.segments()")).toEqual([]);
    await page.selectOption("#role", "developer");
    await page.fill("#companySize", "800");
    const sent = await submit(page, ["role", "companySize"]);
    expect([sent.get("email"), sent.get("company"), sent.get("role"), sent.get("companySize")]).toEqual(["ada@example.com", "Acme", "developer", "800"]);

    // Visit 3: the phone; the company size now puts the visitor in the enterprise segment.
    await visit(page);
    expect(await visibleFields(page)).toEqual(["phone"]);
    expect(await page.inputValue("#role")).toBe("developer");
    expect(await page.inputValue("#companySize")).toBe("800");
    expect(await page.evaluate("window.segmint.segments()")).toEqual(["enterprise"]);
    expect(await page.evaluate("document.documentElement.classList.contains('sm-enterprise')")).toBe(true);
    expect(await page.evaluate("window.segmint.context().traits.companySize")).toBe(800);
    await page.fill("#phone", "+1 555 123 4567");
    expect((await submit(page, ["phone"])).get("phone")).toBe("+1 555 123 4567");

    const data = await stored(page);
    expect(data.traits).toEqual({ email: "ada@example.com", company: "Acme", role: "developer", companySize: 800, phone: true });
    // The number is nowhere in what is stored, in any form (ids are hex UUIDs, so look for what they cannot hold).
    const everything = JSON.stringify(data);
    for (const form of ["+1 555 123 4567", "5551234567", "555 123", "123 4567"]) expect(everything).not.toContain(form);
    expect(data.events.filter((e) => e.type === "profile").map((e) => e.fields)).toEqual([["email", "company"], ["role", "companySize"], ["phone"]]);

    // Visit 4: nothing left to ask; the sensitive field stays hidden and empty.
    await visit(page);
    expect(await visibleFields(page)).toEqual([]);
    expect(await page.inputValue("#phone")).toBe("");
    expect(await page.evaluate("window.segmint.nextFields(2)")).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});
