// @vitest-environment node
import { existsSync, readFileSync } from "node:fs";
import { GrowthBook } from "@growthbook/growthbook";
import { describe, expect, it } from "vitest";
import { assignVariant, hash } from "../../src/rules/bucket";

type HashRow = [seed: string, value: string, version: number, expected: number | null];
type Variants = { id: string; weight?: number }[];
type AssignRow = [name: string, experience: string, visitor: string, holdout: number, variants: Variants, expected: string];

const cases = JSON.parse(readFileSync(new URL("../cases/bucket.json", import.meta.url), "utf8")) as {
  hash: HashRow[];
  assignVariant: AssignRow[];
};

const conformanceUrl = new URL("../../../shared/conformance/growthbook-cases.json", import.meta.url);
const hasConformance = existsSync(conformanceUrl);

describe.skipIf(!hasConformance)("hash: GrowthBook conformance (growthbook-cases.json)", () => {
  const rows = hasConformance
    ? (JSON.parse(readFileSync(conformanceUrl, "utf8")) as { hash: HashRow[] }).hash
    : [];
  it("has the 15 hash rows", () => expect(rows).toHaveLength(15));
  it.each(rows.map((r, i) => [i, ...r] as const))("row %i: hash(%j, %j, %j) = %j", (_i, seed, value, version, expected) => {
    expect(hash(seed, value, version)).toBe(expected);
  });
});

describe("hash: own rows", () => {
  it.each(cases.hash)("hash(%j, %j, %j) = %j", (seed, value, version, expected) => {
    expect(hash(seed, value, version)).toBe(expected);
  });
});

describe("assignVariant", () => {
  it.each(cases.assignVariant)("%s", (_name, experience, visitor, holdout, variants, expected) => {
    expect(assignVariant(experience, visitor, holdout, variants)).toBe(expected);
  });

  it("splits 10,000 synthetic visitors within ±3% of the weights", () => {
    const variants = [{ id: "a", weight: 1 }, { id: "b", weight: 2 }, { id: "c" }];
    const expected: Record<string, number> = { control: 0.2, a: 0.2, b: 0.4, c: 0.2 };
    const counts: Record<string, number> = { control: 0, a: 0, b: 0, c: 0 };
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const v = assignVariant("split-test", `visitor-${i}-${(i * 2654435761) % 1000003}`, 0.2, variants);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    for (const [id, share] of Object.entries(expected)) {
      expect(Math.abs((counts[id] ?? 0) / n - share), `${id}: ${counts[id]}`).toBeLessThanOrEqual(0.03);
    }
  });

  it("is stable: the same inputs always give the same variant", () => {
    const variants = [{ id: "a" }, { id: "b" }];
    for (let i = 0; i < 100; i++) {
      const id = `v${i}`;
      expect(assignVariant("exp", id, 0.1, variants)).toBe(assignVariant("exp", id, 0.1, variants));
    }
  });

  it("agrees with GrowthBook's own run() when there is no holdout", () => {
    const weights = [1, 2, 1];
    const total = 4;
    const variants = weights.map((weight, i) => ({ id: `v${i}`, weight }));
    const gb = new GrowthBook({});
    for (let i = 0; i < 500; i++) {
      const visitor = `visitor-${i}`;
      gb.setAttributes({ id: visitor });
      const result = gb.run({
        key: "hero-returning",
        seed: "hero-returning",
        hashVersion: 2,
        variations: [0, 1, 2],
        weights: weights.map((w) => w / total),
      });
      expect(assignVariant("hero-returning", visitor, 0, variants), visitor).toBe(`v${result.variationId}`);
    }
  });
});
