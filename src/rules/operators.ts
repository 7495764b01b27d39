// The condition operators segmint understands: GrowthBook's set (DESIGN §2). Anything else is an error in parseRules
// and `false` at evaluation time.

/** Operators that combine conditions. */
export const LOGICAL_OPERATORS = ["$and", "$or", "$nor", "$not"] as const;

/** Operators that test one value. */
export const VALUE_OPERATORS = [
  "$eq", "$ne", "$lt", "$lte", "$gt", "$gte",
  "$in", "$nin", "$ini", "$nini", "$all", "$alli", "$elemMatch", "$size", "$exists", "$type",
  "$regex", "$regexi", "$not",
  "$veq", "$vne", "$vgt", "$vgte", "$vlt", "$vlte",
  "$inGroup", "$notInGroup",
] as const;

/** Every operator name, for validation (`$not` appears in both lists). */
export const OPERATORS: readonly string[] = [...LOGICAL_OPERATORS, ...VALUE_OPERATORS];
