// Opens the real panel (the npm path: createSegmint imports src/debug/index) against jsdom + fake-indexeddb.
import { expect, vi } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { within } from "@testing-library/dom";
import { createSegmint } from "../../src/create";
import type { Segmint, SegmintOptions } from "../../src/sdk";

export const START = Date.UTC(2026, 10, 20, 12);

export const RULES = {
  version: 1,
  metrics: { pricing: { count: "pageview", where: { path: "/pricing" } } },
  segments: [
    { id: "pricing-fan", description: "Viewed pricing three times", when: { "metrics.pricing": { $gte: 3 } } },
    { id: "everyone", when: { "visitor.pageviews": { $gte: 1 } } },
  ],
  experiences: [
    { id: "hero", segment: "pricing-fan", changes: [{ selector: "h1", text: "Plans for you" }] },
    {
      id: "stay", segment: "everyone", trigger: { exitIntent: {} },
      offer: { title: "Before you go", body: "20% off your first month.", cta: { text: "Claim it", href: "/signup" } },
    },
  ],
  interests: { tags: [{ when: { "page.path": { $regex: "^/docs" } }, tags: ["technical"] }] },
};

let instances: Segmint[] = [];

/** A clean page, storage and tab for each test. */
export function resetPage(): void {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
  document.body.innerHTML = "<h1>Original</h1>";
}

/** Destroys the instances a test created. */
export function destroyAll(): void {
  for (const sm of instances) sm.destroy();
  instances = [];
  document.querySelectorAll("dialog").forEach((d) => d.remove());
}

/** A clock that moves one second per reading, so events have distinct, ordered times. */
export function tickingClock(): () => number {
  let t = START;
  return () => (t += 1000);
}

/** Starts an instance, waits for it, and opens the panel; resolves with the panel's shadow root. */
export async function openPanel(options: SegmintOptions = {}): Promise<{ sm: Segmint; root: ShadowRoot }> {
  const sm = createSegmint({ rules: RULES, now: tickingClock(), ...options });
  instances.push(sm);
  await sm.ready;
  sm.debug();
  const root = await vi.waitFor(() => {
    const found = document.querySelector("segmint-debug")?.shadowRoot;
    if (!found?.querySelector(".segments, .content")) throw new Error("no panel yet");
    return found;
  });
  return { sm, root };
}

/** Testing Library queries inside the shadow root. */
export function screenOf(root: ShadowRoot) {
  return within(root as unknown as HTMLElement);
}

/**
 * The control whose accessible name (aria-label, else its text) is `name`. A light stand-in for getByRole, which
 * is slow in jsdom; the first panel test checks the roles themselves.
 */
export function control<T extends HTMLElement = HTMLButtonElement>(root: ShadowRoot, name: string): T {
  const found = Array.from(root.querySelectorAll<T>("button, input")).filter((e) => (e.getAttribute("aria-label") ?? e.textContent) === name);
  if (found.length !== 1) throw new Error(`${found.length} controls named "${name}"`);
  return found[0] as T;
}

/** Whether a control named `name` is there. */
export function hasControl(root: ShadowRoot, name: string): boolean {
  return Array.from(root.querySelectorAll("button, input")).some((e) => (e.getAttribute("aria-label") ?? e.textContent) === name);
}

/** The section whose heading is `title`. */
export function section(root: ShadowRoot, title: string): HTMLElement {
  const heading = Array.from(root.querySelectorAll("summary h3")).find((h) => h.textContent === title);
  const details = heading?.closest("details");
  if (!details) throw new Error(`no section "${title}"`);
  return details as HTMLElement;
}

/** A table's body rows as arrays of cell texts. */
export function rowsOf(table: Element | null): string[][] {
  if (!table) throw new Error("no table");
  return Array.from(table.querySelectorAll("tbody tr"), (tr) => Array.from(tr.children, (td) => td.textContent ?? ""));
}

/** The table named `label` (aria-label) in the shadow root. */
export function tableNamed(root: ShadowRoot, label: string): HTMLTableElement {
  const found = Array.from(root.querySelectorAll("table")).filter((t) => t.getAttribute("aria-label") === label);
  if (found.length !== 1) throw new Error(`${found.length} tables named "${label}"; the panel says: ${root.textContent}`);
  return found[0] as HTMLTableElement;
}

/** Waits until `check` passes (renders wait for the next frame, export() for IndexedDB). */
export function eventually<T>(check: () => T): Promise<T> {
  return vi.waitFor(check, { timeout: 2000, interval: 10 });
}

export { expect };
