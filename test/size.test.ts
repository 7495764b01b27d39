// @vitest-environment node
// What the script bundle must not carry (STYLE.md). Its gzip budget (DESIGN §5: 16 KB) is checked by `npm run size`,
// which fails today (about 23.7 KB with every DESIGN feature): issue 2 is blocked on that decision, so the budget is
// not yet a gate of `npm test` — see README "Size".
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const BUNDLE = new URL("../dist/segmint.min.js", import.meta.url);

describe("dist/segmint.min.js", () => {
  const code = existsSync(BUNDLE) ? readFileSync(BUNDLE, "utf8") : "";

  it("is built (npm test builds it first)", () => {
    expect(code.length, "run `npm run build`").toBeGreaterThan(0);
  });

  it("carries no zod (the runtime compiles rules with fail-closed checks instead)", () => {
    for (const marker of ["ZodError", "zod", "_zod"]) expect(code.includes(marker), `found "${marker}" in the script bundle`).toBe(false);
  });

  it("exports nothing, so it cannot overwrite window.segmint", () => {
    expect(code.trimStart().startsWith("!function") || code.trimStart().startsWith("(function")).toBe(true);
    expect(/^var\s+segmint\b/m.test(code)).toBe(false);
  });
});
