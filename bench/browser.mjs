// A returning visitor's page load in real Chromium, with segmint's head script and without it (the same page, the
// script tag removed): when the first personalized element is correct and visible, the longest pre-hide, long tasks,
// and segmint's own script time inside long animation frames (what of those long tasks is the SDK's).
// Medians of LOADS loads each, interleaved. For reading: the machines are noisy, the ratio says more than the ms.
//
//   npm run build && node bench/browser.mjs
import { existsSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../demo/serve.mjs";

const LOADS = 10;
const FIXTURE = readFileSync(new URL("../test/e2e/fixtures/flicker.html", import.meta.url), "utf8");
const SCRIPT_TAG = '<script src="/segmint.min.js"></script>';
// What each element of flicker.html says for a returning visitor; without the SDK, its original content.
const WITH_SDK = { "#hero h1": "Welcome back, friend", "#promo": "Your saved workflows are waiting" };
const WITHOUT_SDK = { "#hero h1": "Automate the busywork your team hates", "#promo": "Try the new editor" };

// Runs in the page before any of its scripts (serialized by Playwright: closes over nothing). Records, in ms since
// navigation start, when each element first shows its expected text unhidden, every assignment to
// document.adoptedStyleSheets (how segmint pre-hides), and long tasks.
function probe(expected) {
  const w = window;
  w.__bench = { correct: {}, adoptions: [], longTasks: [], sdkLongFrames: 0, sdkScriptMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__bench.longTasks.push(entry.duration);
  }).observe({ type: "longtask" });
  // Long tasks say how long, not whose: Long Animation Frames attribute script time (scripts of 5 ms or more) to
  // its source, so segmint's own share of the long frames during load is measured, not guessed.
  new PerformanceObserver((list) => {
    for (const frame of list.getEntries()) {
      const ours = (frame.scripts ?? []).filter((script) => /segmint/.test(script.sourceURL ?? ""));
      if (ours.length) w.__bench.sdkLongFrames++;
      for (const script of ours) w.__bench.sdkScriptMs += script.duration;
    }
  }).observe({ type: "long-animation-frame", buffered: true });
  const hides = (sheets) => sheets.some((sheet) => Array.from(sheet.cssRules).some((rule) => /visibility:\s*hidden/.test(rule.cssText)));
  const property = Object.getOwnPropertyDescriptor(Document.prototype, "adoptedStyleSheets");
  Object.defineProperty(document, "adoptedStyleSheets", {
    configurable: true,
    get() { return property.get.call(this); },
    set(sheets) {
      property.set.call(this, sheets);
      w.__bench.adoptions.push({ t: performance.now(), prehide: hides(sheets) });
    },
  });
  const check = () => {
    for (const [selector, text] of Object.entries(expected)) {
      if (w.__bench.correct[selector] !== undefined) continue;
      const el = document.querySelector(selector);
      if (el && el.textContent.trim() === text && getComputedStyle(el).visibility !== "hidden") w.__bench.correct[selector] = performance.now();
    }
    return Object.keys(w.__bench.correct).length === Object.keys(expected).length;
  };
  const observer = new MutationObserver(() => check() && observer.disconnect());
  observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  const frame = () => check() || requestAnimationFrame(frame);
  requestAnimationFrame(frame);
}

/** The longest single span during which a pre-hide rule was adopted (open at the end: until `end`). */
function longestPrehide(adoptions, end) {
  let longest = 0;
  let since;
  for (const { t, prehide } of adoptions) {
    if (prehide && since === undefined) since = t;
    if (!prehide && since !== undefined) (longest = Math.max(longest, t - since)), (since = undefined);
  }
  return since === undefined ? longest : Math.max(longest, end - since);
}

async function load(page, url, expected) {
  await page.goto(url);
  await page.evaluate("window.segmint ? window.segmint.ready : null");
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const { correct, adoptions, longTasks, sdkLongFrames, sdkScriptMs, now } = await page.evaluate("({ ...window.__bench, now: performance.now() })");
  const firstCorrect = Math.min(...Object.keys(expected).map((s) => correct[s] ?? Infinity));
  const allCorrect = Math.max(...Object.keys(expected).map((s) => correct[s] ?? Infinity));
  const longTaskMs = longTasks.reduce((a, b) => a + b, 0);
  return { firstCorrect, allCorrect, prehide: longestPrehide(adoptions, now), longTasks: longTasks.length, longTaskMs, sdkLongFrames, sdkScriptMs };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const medians = (runs) => Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((run) => run[key]))]));

/** Medians of LOADS returning-visitor loads with the SDK and without it, and Chromium's version. */
export async function runBrowserBench({ loads = LOADS } = {}) {
  if (!existsSync(new URL("../dist/segmint.min.js", import.meta.url))) throw new Error("dist/segmint.min.js is missing: run `npm run build` first");
  // The bundle is read once and served from memory: another process's `npm run build` may empty dist/ meanwhile.
  const sdk = readFileSync(new URL("../dist/segmint.min.js", import.meta.url));
  const [browser, server] = await Promise.all([
    chromium.launch({
      executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
      headless: true,
      // As test/e2e/harness.ts: closed network, root user.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"],
    }),
    startServer({ port: 0 }),
  ]);
  try {
    const context = await browser.newContext();
    await context.route("**/segmint.min.js", (route) => route.fulfill({ body: sdk, contentType: "text/javascript" }));
    await context.route("**/fixtures/flicker-no-sdk.html", (route) =>
      route.fulfill({ body: FIXTURE.replace(SCRIPT_TAG, ""), contentType: "text/html; charset=utf-8" }));
    const withSdk = await context.newPage();
    const withoutSdk = await context.newPage();
    await withSdk.addInitScript(probe, WITH_SDK);
    await withoutSdk.addInitScript(probe, WITHOUT_SDK);
    const sdkUrl = `${server.url}/fixtures/flicker.html`;
    const plainUrl = `${server.url}/fixtures/flicker-no-sdk.html`;
    // Two visits make a returning visitor (pageviews ≥ 2); they warm Chromium's caches for both pages too.
    for (let i = 0; i < 2; i++) {
      await load(withSdk, sdkUrl, WITH_SDK);
      await load(withoutSdk, plainUrl, WITHOUT_SDK);
    }
    const runs = { sdk: [], plain: [] };
    for (let i = 0; i < loads; i++) {
      runs.sdk.push(await load(withSdk, sdkUrl, WITH_SDK));
      runs.plain.push(await load(withoutSdk, plainUrl, WITHOUT_SDK));
    }
    if (runs.sdk.some((run) => run.allCorrect === Infinity)) throw new Error("a returning visitor's page was not personalized");
    return { chromium: browser.version(), loads, sdk: medians(runs.sdk), noSdk: medians(runs.plain) };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) console.log(await runBrowserBench());
