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

/** GrowthBook's `hash`: a number in [0, 1) — v2 with 4 decimals, v1 (biased, legacy) with 3 — or null for another version. */
export function hash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv32a(fnv32a(seed + value) + "") % 10000) / 10000;
  if (version === 1) return (fnv32a(value + seed) % 1000) / 1000;
  return null;
}

/** Usable weight: a finite number ≥ 0; a missing weight counts 1. */
function weightOf(w: number | undefined): number {
  if (w === undefined) return 1;
  return Number.isFinite(w) && w > 0 ? w : 0;
}

/**
 * The variant a visitor sees: `"control"` when hash < holdout, else the rest of the range [holdout, 1) split across
 * `variants` by weight, in order; `"treated"` when there are no variants (an experience with plain `changes`).
 */
export function assignVariant(
  experienceId: string,
  visitorId: string,
  holdout: number,
  variants: readonly { id: string; weight?: number }[],
): string {
  const n = hash(experienceId, visitorId, 2) as number;
  const h = Number.isFinite(holdout) ? Math.min(Math.max(holdout, 0), 1) : 0;
  if (n < h) return "control";
  const last = variants[variants.length - 1];
  if (!last) return "treated";
  let total = 0;
  for (const v of variants) total += weightOf(v.weight);
  // All weights zero (or invalid): split equally rather than send everyone to one variant.
  const equal = total === 0;
  const position = ((n - h) / (1 - h)) * (equal ? variants.length : total);
  let end = 0;
  for (const v of variants) {
    end += equal ? 1 : weightOf(v.weight);
    if (position < end) return v.id;
  }
  return last.id; // floating-point rounding at the top of the range
}
