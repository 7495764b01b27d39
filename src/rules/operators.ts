// The condition operators segmint understands: GrowthBook's set (DESIGN §2). Anything else is an error in parseRules
// and `false` at evaluation time. The names are read from the compiler's own tables, so the two cannot disagree.
export { LOGICAL_OPERATORS, OPERATORS, VALUE_OPERATORS } from "./condition";
