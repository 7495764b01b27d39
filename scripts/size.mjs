// npm run size: gzip and brotli sizes of the script-tag bundle against its budget, and of the optional bundles it
// fetches from beside itself only for rules that use them (ARCHITECTURE.md "Script bundles").
import { readFileSync } from "node:fs";
import { brotliCompressSync, gzipSync } from "node:zlib";

const BUDGET = 16 * 1024;
const sizes = (file) => {
  const code = readFileSync(`dist/${file}`);
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length };
};
const main = sizes("segmint.min.js");
console.log(`dist/segmint.min.js: ${main.bytes} bytes, ${main.gzip} gzip, ${main.brotli} brotli (budget ${BUDGET} gzip, aim 12288)`);
for (const file of ["segmint.offers.js", "segmint.profiling.js"]) {
  const { bytes, gzip, brotli } = sizes(file);
  console.log(`  + dist/${file}: ${bytes} bytes, ${gzip} gzip, ${brotli} brotli (fetched only for rules that use it)`);
}
process.exit(main.gzip > BUDGET ? 1 : 0);
