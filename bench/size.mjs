// Bytes a visitor downloads: the script-tag bundle as built, and for npm users each typical import bundled the way an
// app would (esbuild, minified, browser, tree-shaken) next to the peers bundled the same way. gzip -9 and brotli -11.
//
//   npm run build && node bench/size.mjs
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const SCRIPT_BUDGET = 16 * 1024;

/** One entry per typical import: what an app's bundle holds when it uses that API. */
const ENTRIES = [
  ["segmint: import { createSegmint }", `export { createSegmint } from "segmint";`],
  ["segmint: import { evalCondition }", `export { evalCondition } from "segmint";`],
  ["@growthbook/growthbook: import { GrowthBook }", `export { GrowthBook } from "@growthbook/growthbook";`],
  ["@growthbook/growthbook: import { evalCondition }", `export { evalCondition } from "@growthbook/growthbook";`],
  ["ouibounce: import ouibounce", `export { default } from "ouibounce";`],
  ["idb-keyval: import { get, set, del, update }", `export { get, set, del, update } from "idb-keyval";`],
  ["analytics: import Analytics", `export { default } from "analytics";`],
  ["@snowplow/browser-tracker: newTracker, trackPageView", `export { newTracker, trackPageView, enableActivityTracking } from "@snowplow/browser-tracker";`],
];

const compressed = (code) => ({ bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length });

async function bundle(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: "js" },
    // "segmint" is the built package (dist/segmint.mjs) with its dependencies (idb-keyval, zod) from node_modules.
    alias: { segmint: `${ROOT}dist/segmint.mjs` },
    bundle: true, minify: true, format: "esm", platform: "browser", target: "es2020", write: false, logLevel: "error",
  });
  return result.outputFiles[0].contents;
}

/** The script-tag bundle against its budget, then each import set; sizes in bytes. */
export async function runSizeBench() {
  const script = `${ROOT}dist/segmint.min.js`;
  if (!existsSync(script)) throw new Error("dist/segmint.min.js is missing: run `npm run build` first");
  const scriptTag = compressed(readFileSync(script));
  const imports = [];
  for (const [name, source] of ENTRIES) imports.push({ name, ...compressed(await bundle(source)) });
  return { scriptTag: { ...scriptTag, budgetGzip: SCRIPT_BUDGET, pass: scriptTag.gzip <= SCRIPT_BUDGET }, imports };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { scriptTag, imports } = await runSizeBench();
  console.log(`dist/segmint.min.js: ${kb(scriptTag.gzip)} gzip, ${kb(scriptTag.brotli)} brotli (budget ${kb(SCRIPT_BUDGET)} gzip: ${scriptTag.pass ? "PASS" : "FAIL"})`);
  for (const row of imports) console.log(`${row.name.padEnd(54)} ${kb(row.gzip).padStart(8)} gzip ${kb(row.brotli).padStart(8)} brotli ${kb(row.bytes).padStart(9)} min`);
}
