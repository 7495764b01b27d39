// Bytes a visitor downloads: the script-tag bundle as built, alone and with each optional bundle it fetches beside
// itself for rules that use it (separate files, so their sizes add up), and for npm users each typical import bundled
// the way an app would (esbuild, minified, browser, tree-shaken) next to the peers bundled the same way, plus
// createSegmint through Rollup, which splits the debug panel off as Vite apps get it. gzip -9 and brotli -11.
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
  ["segmint: import { createSegmint } (esbuild inlines the debug panel's import())", `export { createSegmint } from "segmint";`],
  ["segmint: import { evalCondition }", `export { evalCondition } from "segmint";`],
  ["@growthbook/growthbook: import { GrowthBook }", `export { GrowthBook } from "@growthbook/growthbook";`],
  ["@growthbook/growthbook: import { evalCondition }", `export { evalCondition } from "@growthbook/growthbook";`],
  ["ouibounce: import ouibounce", `export { default } from "ouibounce";`],
  ["idb-keyval: import { get, set, del, update }", `export { get, set, del, update } from "idb-keyval";`],
  ["analytics: import Analytics", `export { default } from "analytics";`],
  ["@snowplow/browser-tracker: newTracker, trackPageView", `export { newTracker, trackPageView, enableActivityTracking } from "@snowplow/browser-tracker";`],
];

const compressed = (code) => ({ bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length });
const sum = (sizes) => Object.fromEntries(["bytes", "gzip", "brotli"].map((k) => [k, sizes.reduce((n, size) => n + size[k], 0)]));

/** The script tag's optional bundles (ARCHITECTURE.md "Script bundles"), with what makes segmint.min.js fetch each. */
export const OPTIONAL_BUNDLES = [
  ["segmint.offers.js", "offers; exit-intent, time and scroll triggers"],
  ["segmint.profiling.js", "progressive profiling"],
];

const built = (file) => {
  const path = `${ROOT}dist/${file}`;
  if (!existsSync(path)) throw new Error(`dist/${file} is missing: run \`npm run build\` first`);
  return compressed(readFileSync(path));
};

async function bundle(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: "js" },
    // "segmint" is the built package (dist/segmint.mjs) with its dependencies (idb-keyval, zod) from node_modules.
    alias: { segmint: `${ROOT}dist/segmint.mjs` },
    bundle: true, minify: true, format: "esm", platform: "browser", target: "es2020", write: false, logLevel: "error",
  });
  return result.outputFiles[0].contents;
}

/**
 * createSegmint as Rollup (Vite's production bundler) builds an app: the debug panel's dynamic import() becomes a
 * chunk loaded only when debug() asks for it. esbuild without code splitting (the table above) inlines it.
 */
async function rollupCreateSegmint() {
  const { rollup } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const { default: terser } = await import("@rollup/plugin-terser");
  const entry = "\0entry";
  const app = await rollup({
    input: entry,
    plugins: [
      { resolveId: (id) => (id === entry ? id : id === "segmint" ? `${ROOT}dist/segmint.mjs` : null), load: (id) => (id === entry ? `export { createSegmint } from "segmint";` : null) },
      nodeResolve({ browser: true, rootDir: ROOT }),
    ],
    onwarn() {},
  });
  const { output } = await app.generate({ format: "es", plugins: [terser()] });
  const chunks = new Map(output.filter((o) => o.type === "chunk").map((o) => [o.fileName, o]));
  const initial = new Set();
  const visit = (name) => initial.has(name) || (initial.add(name), chunks.get(name).imports.forEach(visit));
  visit(output.find((o) => o.isEntry).fileName);
  const of = (names) => sum(names.map((name) => compressed(Buffer.from(chunks.get(name).code))));
  return { ...of([...initial]), onDemand: of([...chunks.keys()].filter((name) => !initial.has(name))) };
}

/** The script-tag bundle against its budget, then each import set; sizes in bytes. */
export async function runSizeBench() {
  const scriptTag = built("segmint.min.js");
  const imports = [];
  for (const [file, what] of OPTIONAL_BUNDLES) {
    imports.push({ name: `script tag: segmint.min.js + ${file} (${what})`, ...sum([scriptTag, built(file)]) });
  }
  const everything = sum([scriptTag, ...OPTIONAL_BUNDLES.map(([file]) => built(file))]);
  imports.push({ name: "script tag: segmint.min.js + every optional bundle", ...everything });
  for (const [name, source] of ENTRIES) imports.push({ name, ...compressed(await bundle(source)) });
  imports.splice(OPTIONAL_BUNDLES.length + 2, 0, { name: "segmint: import { createSegmint }, Rollup/Vite (debug panel split off)", ...(await rollupCreateSegmint()) });
  return { scriptTag: { ...scriptTag, budgetGzip: SCRIPT_BUDGET, pass: scriptTag.gzip <= SCRIPT_BUDGET }, imports };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { scriptTag, imports } = await runSizeBench();
  console.log(`dist/segmint.min.js: ${kb(scriptTag.gzip)} gzip, ${kb(scriptTag.brotli)} brotli (budget ${kb(SCRIPT_BUDGET)} gzip: ${scriptTag.pass ? "PASS" : "FAIL"})`);
  const width = Math.max(...imports.map((row) => row.name.length));
  for (const row of imports) {
    const later = row.onDemand ? ` (+ ${kb(row.onDemand.gzip)} gzip on demand)` : "";
    console.log(`${row.name.padEnd(width)} ${kb(row.gzip).padStart(8)} gzip ${kb(row.brotli).padStart(8)} brotli ${kb(row.bytes).padStart(9)} min${later}`);
  }
}
