// The npm entry: re-exports only (DESIGN §4). Importing it does nothing by itself.
export { createSegmint } from "./create";
export type { Segmint, SegmintOptions, ExperienceStatus } from "./sdk";
export { parseRules, safeParseRules, RulesError, rulesJsonSchema } from "./rules/schema";
export { compileCondition, evalCondition } from "./rules/condition";
export type { SegmintEvents } from "./emitter";
export type * from "./rules/types";
