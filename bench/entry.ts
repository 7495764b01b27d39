// What the benchmarks need from the source, bundled by bench/run.mjs (the engine is not a public export).
export { createEngine } from "../src/rules/engine";
export { compileRules } from "../src/rules/compile";
export { compileCondition } from "../src/rules/condition";
export { createSegmint } from "../src/create";
export { createStorage } from "../src/store/storage";
