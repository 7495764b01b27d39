// @vitest-environment node
// What npm users get: both builds load in Node, export the public API, and createSegmint is inert without a DOM
// (server-side rendering), never throwing.
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// A path built at run time: the type-check runs before the build, when dist/ does not exist yet.
const built = (name: string) => pathToFileURL(fileURLToPath(new URL("..", import.meta.url)) + "/dist/" + name).href;
const API = ["RulesError", "compileCondition", "createSegmint", "evalCondition", "parseRules", "rulesJsonSchema", "safeParseRules"];

describe("the package", () => {
  it("the ESM and CommonJS builds export the same public API", async () => {
    const esm = await import(built("segmint.mjs"));
    const cjs = createRequire(import.meta.url)("../dist/segmint.cjs");
    expect(Object.keys(esm).sort()).toEqual(API);
    expect(Object.keys(cjs).sort()).toEqual(API);
  });

  it("is inert during server-side rendering", async () => {
    const { createSegmint } = await import(built("segmint.mjs"));
    const sm = createSegmint({ rules: { version: 1, segments: [{ id: "all", when: {} }] } });
    await expect(sm.ready).resolves.toBeUndefined();
    expect(sm.segments()).toEqual([]);
    expect(() => sm.track("x")).not.toThrow();
  });

  it("createSegmint's code imports neither zod nor the debug panel statically, so apps can leave both out", async () => {
    const { readFileSync } = await import("node:fs");
    const read = (file: string) => readFileSync(new URL(`../dist/${file}`, import.meta.url), "utf8");
    const statics = (code: string) => Array.from(code.matchAll(/^(?:import|export)\b[^;]*?from\s*['"]([^'"]+)['"]/gm), (m) => m[1] as string);
    const core = statics(read("segmint.mjs")).find((spec) => spec.includes("/core-")) as string;
    expect(core, "segmint.mjs re-exports the core chunk").toBeDefined();
    const coreCode = read(core.replace(/^\.\//, ""));
    expect(statics(coreCode).filter((spec) => spec === "zod" || spec.includes("schema") || spec.includes("debug"))).toEqual([]);
    expect(coreCode).toContain("import('../debug.mjs')");
    expect(read("segmint.mjs")).not.toMatch(/^import\s+['"]zod['"]/m);
  });

  it("the exports map points at files the build wrote", async () => {
    const { existsSync, readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const targets = JSON.stringify(pkg.exports).match(/\.\/dist\/[^"]+/g) ?? [];
    expect(targets.length).toBeGreaterThan(4);
    for (const target of [...targets, pkg.bin.segmint]) expect(existsSync(new URL(`../${target}`, import.meta.url)), target).toBe(true);
  });
});
