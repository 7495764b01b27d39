// @vitest-environment node
// Budgets that fail the build (STYLE.md): the script bundle's gzip size and identifiers it must not carry.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const BUNDLE = new URL("../dist/segmint.min.js", import.meta.url);
const BUDGET = 16 * 1024;

describe("dist/segmint.min.js", () => {
  const code = existsSync(BUNDLE) ? readFileSync(BUNDLE, "utf8") : "";

  it("is built (npm test builds it first)", () => {
    expect(code.length, "run `npm run build`").toBeGreaterThan(0);
  });

  it(`stays within ${BUDGET} bytes gzip`, () => {
    const gzip = gzipSync(code, { level: 9 }).length;
    console.log(`dist/segmint.min.js: ${gzip} bytes gzip (budget ${BUDGET})`);
    expect(gzip, `segmint.min.js is ${gzip} bytes gzip, over the ${BUDGET} budget: raise the ceiling in the same commit only if the growth is intended`).toBeLessThanOrEqual(BUDGET);
  });

  it("carries no zod (the runtime compiles rules with fail-closed checks instead)", () => {
    for (const marker of ["ZodError", "zod", "_zod"]) expect(code.includes(marker), `found "${marker}" in the script bundle`).toBe(false);
  });

  it("exports nothing, so it cannot overwrite window.segmint", () => {
    expect(code.trimStart().startsWith("!function") || code.trimStart().startsWith("(function")).toBe(true);
    expect(/^var\s+segmint\b/m.test(code)).toBe(false);
  });
});
