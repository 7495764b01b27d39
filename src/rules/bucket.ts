// Experience bucketing (DESIGN §2): GrowthBook's FNV-1a hash, so an assignment here matches what GrowthBook's SDKs
// would compute for the same seed and visitor id.

/** 32-bit FNV-1a over UTF-16 code units, exactly as GrowthBook's `hashFnv32a` (packages/sdk-js/src/util.ts). */
function fnv32a(str: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    // h * 16777619 (the FNV prime) spelled as shifts, as GrowthBook does: the result must match bit for bit.
    h += (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24);
  }
  return h >>> 0;
}

/** GrowthBook's hash v2: a number in [0, 1) with 4 decimals. The one bucketing uses. */
function hashV2(seed: string, value: string): number {
  return (fnv32a(fnv32a(seed + value) + "") % 10000) / 10000;
}

/** GrowthBook's `hash`: a number in [0, 1) — v2 with 4 decimals, v1 (biased, legacy) with 3 — or null for another version. */
export function hash(seed: string, value: string, version: number): number | null {
  return version === 2 ? hashV2(seed, value) : version === 1 ? (fnv32a(value + seed) % 1000) / 1000 : null;
}

/**
 * The variant a visitor sees: `"control"` when hash < holdout, else the rest of the range [holdout, 1) split across
 * `variants` by weight, in order; `"treated"` when there are no variants (an experience with plain `changes`).
 * A missing weight counts 1; one that is not a finite number > 0 counts 0.
 */
export function assignVariant(
  experienceId: string,
  visitorId: string,
  holdout: number,
  variants: readonly { id: string; weight?: number }[],
): string {
  const n = hashV2(experienceId, visitorId);
  // clamped to [0, 1]; NaN and Infinity count 0 (-Infinity is clamped to 0 anyway)
  const h = holdout < Infinity ? Math.min(Math.max(holdout, 0), 1) : 0;
  if (n < h) return "control";
  const weights = variants.map(({ weight = 1 }) => (weight > 0 && weight < Infinity ? weight : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  // All weights zero (or invalid): split equally rather than send everyone to one variant.
  const position = ((n - h) / (1 - h)) * (total || variants.length);
  let end = 0;
  const variant = variants.find((_, i) => position < (end += total ? (weights[i] as number) : 1));
  // past the last end only by floating-point rounding at the top of the range
  return (variant ?? variants[variants.length - 1])?.id ?? "treated";
}
