// The right of access and erasure in real Chromium: export() gives everything stored about the visitor, and
// forget() leaves no byte of them in IndexedDB, localStorage or cookies — in this tab and in another open one.
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

type Sm = {
  ready: Promise<void>;
  setTraits(t: object): void;
  track(type: string, props?: object): void;
  export(): Promise<Record<string, unknown>>;
  forget(): Promise<void>;
  context(): { visitor: { id: string }; traits: Record<string, unknown> };
};

/** Everything the origin keeps in the browser: every IndexedDB database's records, localStorage, cookies. */
function everythingStored(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const records: unknown[] = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const tx = db.transaction(store);
        const [keys, values] = await Promise.all(
          [tx.objectStore(store).getAllKeys(), tx.objectStore(store).getAll()].map(
            (request) => new Promise<unknown>((resolve) => (request.onsuccess = () => resolve(request.result))),
          ),
        );
        records.push({ name, store, keys, values });
      }
      db.close();
    }
    return JSON.stringify({ records, localStorage: { ...localStorage }, cookies: document.cookie });
  });
}


describe("a visitor who asks", () => {
  it("export() holds everything stored; forget() erases it from both open tabs, and a new anonymous visitor starts", async () => {
    const context = await browser.newContext();
    const url = `${server.url}/fixtures/privacy.html`;
    const [tab, other] = [await context.newPage(), await context.newPage()];
    await tab.clock.install();
    await tab.goto(url);
    await tab.evaluate("window.segmint.ready");
    await tab.evaluate(() => {
      const segmint = (window as unknown as { segmint: Sm }).segmint;
      segmint.setTraits({ firstName: "Ada", email: "ada@example.com" });
      segmint.track("purchase", { value: 42, order: "order-7731" });
    });
    await tab.mouse.move(50, 50);
    await tab.clock.runFor(6_000); // a dwell checkpoint in the write-ahead buffer
    await expect.poll(() => tab.locator("h1").textContent()).toBe("Thanks again, Ada");
    await other.goto(url);
    await other.evaluate("window.segmint.ready");
    const visitorId = await tab.evaluate(() => (window as unknown as { segmint: Sm }).segmint.context().visitor.id);

    const exported = (await tab.evaluate(() => (window as unknown as { segmint: Sm }).segmint.export())) as {
      visitor: { id: string }; traits: object; events: Array<{ type: string }>; experiences: object;
    };
    expect(exported.visitor.id).toBe(visitorId);
    expect(exported.traits).toEqual({ firstName: "Ada", email: "ada@example.com" });
    expect(exported.events.map((e) => e.type)).toEqual(expect.arrayContaining(["pageview", "purchase", "segment", "exposure"]));
    expect(exported.experiences).toHaveProperty("greet");
    await expect.poll(() => everythingStored(tab)).toContain("order-7731");
    const before = await everythingStored(tab);
    for (const secret of ["ada@example.com", visitorId, "segmint:wal", "order-7731"]) expect(before).toContain(secret);

    await tab.evaluate(() => (window as unknown as { segmint: Sm }).segmint.forget());
    // The other tab was told: its memory is a new visitor's too, and its next writes carry nothing of Ada.
    await expect.poll(() => other.evaluate(() => (window as unknown as { segmint: Sm }).segmint.context().traits)).toEqual({});
    await other.evaluate(() => (window as unknown as { segmint: Sm }).segmint.track("after"));
    await tab.evaluate(() => (window as unknown as { segmint: Sm }).segmint.track("after"));
    await expect.poll(async () => (await everythingStored(tab)).split('"after"').length - 1).toBeGreaterThanOrEqual(2);

    const after = await everythingStored(tab);
    for (const secret of ["ada@example.com", "Ada", visitorId, "order-7731", '"value":42']) expect(after).not.toContain(secret);
    expect(await tab.locator("h1").textContent()).toBe("Your account");
    const newId = await tab.evaluate(() => (window as unknown as { segmint: Sm }).segmint.context().visitor.id);
    expect(newId).not.toBe(visitorId);
    expect(await other.evaluate(() => (window as unknown as { segmint: Sm }).segmint.context().visitor.id)).not.toBe(visitorId);
    await context.close();
  });
});
