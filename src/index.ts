// The npm entry: re-exports only (DESIGN §4). Importing it does nothing by itself.
export { createSegmint } from "./create";
export type { Segmint, SegmintOptions, ExperienceStatus, DebugHandle, DebugPanel } from "./sdk";
export { parseRules, safeParseRules, RulesError, rulesJsonSchema } from "./rules/schema";
export type { SafeParseRulesResult, ParseOptions } from "./rules/schema";
export type { SegmentExplanation } from "./rules/engine";
export { compileCondition, evalCondition } from "./rules/condition";
export type { SegmintEvents, Listener } from "./emitter";
export type * from "./rules/types";
