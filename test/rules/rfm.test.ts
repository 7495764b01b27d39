// @vitest-environment node
// The RFM example of docs/rfm-example.md: recency, frequency and monetary value from purchase events via metrics.
// Rows: [name, purchases as [days ago, value], expected segments] — the doc's table.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRules } from "../../src/rules/schema";
import { simulate } from "../../src/rules/simulate";

const rules = parseRules(JSON.parse(readFileSync(new URL("../fixtures/rfm.rules.json", import.meta.url), "utf8")));
const rows = JSON.parse(readFileSync(new URL("../cases/rfm.json", import.meta.url), "utf8")) as Array<[string, Array<[number, number]>, string[]]>;
const now = Date.parse("2026-06-30T12:00:00Z");

describe("RFM segments (docs/rfm-example.md)", () => {
  it.each(rows)("%s", (_name, purchases, expected) => {
    const events = purchases.map(([daysAgo, value]) => ({ t: now - daysAgo * 86_400_000, type: "purchase", path: "/checkout", value }));
    expect(simulate(rules, { now, events }).segments).toEqual(expected);
  });
});
