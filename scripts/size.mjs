// npm run size: gzip and brotli sizes of the script-tag bundle against its budget.
import { readFileSync } from "node:fs";
import { brotliCompressSync, gzipSync } from "node:zlib";

const BUDGET = 16 * 1024;
const code = readFileSync("dist/segmint.min.js");
const gzip = gzipSync(code, { level: 9 }).length;
const brotli = brotliCompressSync(code).length;
console.log(`dist/segmint.min.js: ${code.length} bytes, ${gzip} gzip, ${brotli} brotli (budget ${BUDGET} gzip, aim 12288)`);
process.exit(gzip > BUDGET ? 1 : 0);
