// @vitest-environment node
// What the script bundle must not carry (STYLE.md). Its gzip budget (DESIGN §5: 16 KB) is checked by `npm run size`,
// which still fails: with offers and profiling moved to bundles of their own (fetched only for rules that use them,
// ARCHITECTURE.md "Script bundles"), segmint.min.js is about 20.7 KB gzip. The budget is not yet a gate of `npm test`
// — see README "Size" for where the remaining bytes are.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (file: string) => {
  const url = new URL(`../dist/${file}`, import.meta.url);
  return existsSync(url) ? readFileSync(url, "utf8") : "";
};

describe("dist/segmint.min.js", () => {
  const code = read("segmint.min.js");

  it("is built (npm test builds it first)", () => {
    expect(code.length, "run `npm run build`").toBeGreaterThan(0);
  });

  it("carries no zod (the runtime compiles rules with fail-closed checks instead)", () => {
    for (const marker of ["ZodError", "zod", "_zod"]) expect(code.includes(marker), `found "${marker}" in the script bundle`).toBe(false);
  });

  it("carries neither the offer dialog nor the profiling forms: those are fetched only for rules that use them", () => {
    for (const marker of ["showModal", "segmint-offer", "setCustomValidity"]) {
      expect(code.includes(marker), `found "${marker}" in segmint.min.js; it belongs in an optional bundle`).toBe(false);
    }
  });

  it("exports nothing, so it cannot overwrite window.segmint", () => {
    expect(code.trimStart().startsWith("!function") || code.trimStart().startsWith("(function")).toBe(true);
    expect(/^var\s+segmint\b/m.test(code)).toBe(false);
  });
});

describe.each([
  ["segmint.offers.js", "showModal"],
  ["segmint.profiling.js", "setCustomValidity"],
])("dist/%s", (file, marker) => {
  const code = read(file);

  it("is built, hands its feature to segmint.min.js, and exports nothing", () => {
    expect(code.length, "run `npm run build`").toBeGreaterThan(0);
    expect(code).toContain("segmintFeatures");
    expect(code).toContain(marker);
    expect(/^var\s/m.test(code)).toBe(false);
  });

  it("carries no zod", () => {
    expect(code.includes("zod")).toBe(false);
  });
});
