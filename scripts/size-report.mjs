// npm run size:report — which source files the script-tag bundle's bytes come from (esbuild, minified),
// to see where size goes. The budget itself is checked on dist/segmint.min.js (npm run size, npm test).
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const result = await build({
  entryPoints: ["src/browser.ts"], bundle: true, minify: true, format: "iife", target: "es2020",
  write: false, metafile: true, logLevel: "error",
});
const output = Object.values(result.metafile.outputs)[0];
const rows = Object.entries(output.inputs).map(([file, { bytesInOutput }]) => [file, bytesInOutput]).sort((a, b) => b[1] - a[1]);
const filter = process.argv[2];
for (const [file, bytes] of rows) if (!filter || file.includes(filter)) console.log(String(bytes).padStart(7), file);
const code = result.outputFiles[0].contents;
console.log(`${String(code.length).padStart(7)} total minified (esbuild), ${gzipSync(code, { level: 9 }).length} gzip`);
