// npm run bench: every benchmark in one run, one table with each budget's PASS/FAIL, and bench/results.json.
// The machines are noisy: absolute times are for reading, ratios and medians for deciding.
import { build } from "esbuild";
import { writeFileSync, mkdirSync } from "node:fs";
import { cpus } from "node:os";
import { pathToFileURL } from "node:url";
import { runConditionBench } from "./conditions.mjs";
import { reevaluationBench, storageBench, trackBench } from "./engine.mjs";
import { kb, runSizeBench } from "./size.mjs";
import { runBrowserBench } from "./browser.mjs";
import { verdict, writeBenchmarksMd } from "./report.mjs";

const outfile = new URL("./.build/segmint-bench.mjs", import.meta.url);
mkdirSync(new URL("./.build/", import.meta.url), { recursive: true });
await build({ entryPoints: [new URL("./entry.ts", import.meta.url).pathname], bundle: true, format: "esm", platform: "neutral", outfile: outfile.pathname, logLevel: "error" });
process.env.SEGMINT_MODULE ??= outfile.pathname;

await installBrowserGlobals();
const segmint = await import(pathToFileURL(outfile.pathname).href);

// Rows: [what, measured, budget, pass] — pass is undefined for figures that are for reading, not budgets.
const rows = [];
const results = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length };

const size = await runSizeBench();
results.size = size;
const { scriptTag } = size;
rows.push(["dist/segmint.min.js (script tag), gzip", `${kb(scriptTag.gzip)} (brotli ${kb(scriptTag.brotli)})`, `≤ ${kb(scriptTag.budgetGzip)}`, scriptTag.pass]);
for (const entry of size.imports) {
  const later = entry.onDemand ? ` (+ ${kb(entry.onDemand.gzip)} gzip on demand)` : "";
  rows.push([`bundle of ${entry.name}`, `${kb(entry.gzip)} gzip, ${kb(entry.brotli)} brotli${later}`, "", undefined]);
}

const conditions = await runConditionBench();
results.conditions = conditions;
rows.push(["condition evaluation vs fastest peer", `${conditions.ratio.toFixed(1)}× ${conditions.fastestPeer}`, "≥ 3×", conditions.pass && !conditions.disagreements.length]);

const reevaluation = reevaluationBench(segmint);
results.reevaluation = reevaluation;
rows.push(["re-evaluation, 5,000 events / 50 metrics / 100 segments", `${reevaluation.medianMs.toFixed(3)} ms median (p95 ${reevaluation.p95Ms.toFixed(3)})`, "≤ 1 ms", reevaluation.medianMs <= 1]);

const track = await trackBench(segmint);
results.track = track;
rows.push(["track() on the main thread", `${track.medianUs.toFixed(1)} µs median (p95 ${track.p95Us.toFixed(1)})`, "≤ 20 µs", track.medianUs <= 20]);

const storage = await storageBench(segmint);
results.storage = storage;
rows.push(["IndexedDB growth per 1,000 events", `${(storage.bytes / 1024).toFixed(1)} KB (${storage.bytesPerEvent.toFixed(0)} bytes/event, ${storage.events} stored)`, "for reading", undefined]);

const browser = await runBrowserBench();
results.browser = browser;
const vs = (key, unit = "ms") => {
  const [sdk, none] = [browser.sdk[key], browser.noSdk[key]];
  const ratio = none > 0 ? `, ${(sdk / none).toFixed(2)}×` : "";
  return `${sdk.toFixed(1)} ${unit} (no SDK ${none.toFixed(1)}${ratio})`;
};
const browserRow = (what, measured) => [`browser, returning visitor: ${what}`, measured, `for reading, median of ${browser.loads}`, undefined];
rows.push(browserRow("first personalized element correct", vs("firstCorrect")));
rows.push(browserRow("all personalized elements correct", vs("allCorrect")));
rows.push(browserRow("longest pre-hide", vs("prehide")));
const { sdk, noSdk } = browser;
rows.push(browserRow("long tasks (> 50 ms) during load", `${sdk.longTasks} totalling ${sdk.longTaskMs.toFixed(1)} ms (no SDK ${noSdk.longTasks}, ${noSdk.longTaskMs.toFixed(1)} ms)`));
rows.push(browserRow("of which segmint's script (long animation frames)", `${sdk.sdkScriptMs.toFixed(1)} ms in ${sdk.sdkLongFrames} frame(s)`));

printTable(rows);
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify(results, null, 2) + "\n");
writeBenchmarksMd(rows, results);
if (rows.some((row) => row[3] === false)) process.exitCode = 1;

function printTable(table) {
  const head = ["what", "measured", "budget", ""];
  const cells = [head, ...table.map(([a, b, c, ok]) => [a, b, c, verdict(ok)])];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  console.log("");
  for (const row of cells) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join("  "));
}

// jsdom + fake-indexeddb as globals, so createSegmint runs in Node as in a page.
async function installBrowserGlobals() {
  await import("fake-indexeddb/auto");
  const { JSDOM } = await import("jsdom");
  const dom = new JSDOM("<!doctype html><html><head><title>bench</title></head><body><h1>x</h1></body></html>", { url: "https://example.com/section1/x" });
  for (const key of Object.getOwnPropertyNames(dom.window)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value: dom.window[key], configurable: true, writable: true });
  }
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
}
