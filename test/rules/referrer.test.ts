// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyReferrer, parseClickId, parsePage, parseUtm } from "../../src/rules/referrer";
import type { ClickId, PageInfo, ReferrerInfo, Utm } from "../../src/rules/types";

type Query = Record<string, string>;
type ClassifyRow = [name: string, referrer: string, pageUrl: string, expected: Partial<ReferrerInfo>];
type UtmRow = [name: string, query: Query, expected: Utm];
type ClickRow = [name: string, query: Query, expected: ClickId | null];
type PageRow = [name: string, url: string, expected: Partial<PageInfo>];

const cases = JSON.parse(readFileSync(new URL("../cases/referrer.json", import.meta.url), "utf8")) as {
  classifyReferrer: ClassifyRow[];
  parseUtm: UtmRow[];
  parseClickId: ClickRow[];
  parsePage: PageRow[];
};

describe("classifyReferrer (campaign tags read from the landing page URL)", () => {
  it.each(cases.classifyReferrer)("%s", (_name, referrer, pageUrl, expected) => {
    const query = parsePage(pageUrl, "", referrer, []).query;
    const clickId = parseClickId(query);
    const input = { referrer, pageUrl, utm: parseUtm(query), ...(clickId ? { clickId } : {}) };
    const info = classifyReferrer(input);
    // engine and term must be absent unless the row names them
    expect({ type: info.type, engine: info.engine, term: info.term }).toEqual({
      type: expected.type,
      engine: expected.engine,
      term: expected.term,
    });
    if (expected.host !== undefined) expect(info.host).toBe(expected.host);
    expect(info.url).toBe(referrer);
  });
});

describe("parseUtm", () => {
  it.each(cases.parseUtm)("%s", (_name, query, expected) => {
    expect(parseUtm(query)).toEqual(expected);
  });

  it("cuts values to 200 characters", () => {
    expect(parseUtm({ utm_campaign: "c".repeat(500) }).campaign).toHaveLength(200);
  });
});

describe("parseClickId", () => {
  it.each(cases.parseClickId)("%s", (_name, query, expected) => {
    expect(parseClickId(query) ?? null).toEqual(expected);
  });
});

describe("parsePage", () => {
  it.each(cases.parsePage)("%s", (_name, url, expected) => {
    expect(parsePage(url, "Title", "https://ref.example/", ["a"])).toMatchObject({ ...expected, url, title: "Title" });
  });

  it("returns a copy of the tags and an object without a polluted prototype", () => {
    const tags = ["docs"];
    const page = parsePage("https://example.com/?__proto__=x", "", "", tags);
    expect(page.tags).toEqual(tags);
    expect(page.tags).not.toBe(tags);
    expect(Object.getPrototypeOf(page.query)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
    expect(page.referrer).toBe("");
  });
});
