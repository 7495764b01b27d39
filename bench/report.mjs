// BENCHMARKS.md: the latest `npm run bench` table, with the machine, the versions and the date it was measured on.
import { readFileSync, writeFileSync } from "node:fs";

const PEERS = ["@growthbook/growthbook", "sift", "mingo", "json-logic-js", "ouibounce", "idb-keyval", "analytics",
  "@snowplow/browser-tracker", "esbuild", "playwright-core"];

const versionOf = (name) => JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;

/** The verdict cell of a row: budgets PASS or FAIL, figures for reading have none. */
export function verdict(ok) {
  return ok === undefined ? "" : ok ? "PASS" : "FAIL";
}

/** Rewrites BENCHMARKS.md from this run's rows ([what, measured, budget, pass]) and results. */
export function writeBenchmarksMd(rows, results) {
  const cell = (text) => String(text).replaceAll("|", "\\|");
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (after `npm run build`): every budget of DESIGN.md §5 with PASS/FAIL, and figures for",
    "reading next to the peers. Sizes are gzip -9 / brotli -11; the import bundles are esbuild, minified, browser,",
    "one entry re-exporting the typical API. Browser figures are medians of a returning visitor's loads of",
    "`test/e2e/fixtures/flicker.html` in headless Chromium, next to the same page without the script tag.",
    "The machine is shared and noisy: read ratios and medians, not single figures.",
    "",
    `Measured ${results.date} on ${results.cores} × ${results.cpu}, Node ${results.node}, Chromium ${results.browser.chromium}.`,
    "",
    "| what | measured | budget | |",
    "|---|---|---|---|",
    ...rows.map(([what, measured, budget, ok]) => `| ${cell(what)} | ${cell(measured)} | ${cell(budget)} | ${verdict(ok)} |`),
    "",
    `Versions: ${PEERS.map((name) => `${name} ${versionOf(name)}`).join(", ")}.`,
    "",
    "**Long tasks during load, whose.** The long task of a returning visitor's load is one long animation frame: the",
    "page's first style, layout and paint (most of it) plus the head script's evaluation and start. The Long Animation",
    "Frames API attributes script time by source, and segmint's share is the row below the long tasks (about 6–11 ms",
    "when this was written); the rest is Chromium rendering the page, which the head script only moves into the same",
    "frame. A CPU profile of the same loads (`Profiler` over CDP) finds no segmint function above 2.5 ms.",
    "",
    "Reproduce: `npm install && npm run build && npm run bench` (Chromium from `CHROME_PATH`, else `/usr/bin/chromium`).",
    "Raw figures: `bench/results.json`. One bench alone: `node bench/size.mjs`, `node bench/browser.mjs`,",
    "`node bench/conditions.mjs`.",
    "",
  ];
  writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), lines.join("\n"));
}
