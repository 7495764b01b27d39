import { afterEach, describe, expect, it } from "vitest";
import { metaTags } from "../../src/profile/tags";
import { tagsForPage } from "../../src/rules/interests";

afterEach(() => {
  document.head.innerHTML = "";
});

describe("metaTags", () => {
  it("reads every segmint:tags meta, comma-separated, raw (tagsForPage normalises)", () => {
    document.head.innerHTML = `<meta name="segmint:tags" content="Pricing, enterprise"><meta name="description" content="x,y">
      <meta name="segmint:tags" content="docs">`;
    expect(metaTags(document)).toEqual(["Pricing", " enterprise", "docs"]);
    expect(tagsForPage(metaTags(document), [], {})).toEqual(["pricing", "enterprise", "docs"]);
  });

  it("is empty without the meta, or with an empty one", () => {
    expect(tagsForPage(metaTags(document), [], {})).toEqual([]);
    document.head.innerHTML = `<meta name="segmint:tags" content=""><meta name="segmint:tags">`;
    expect(tagsForPage(metaTags(document), [], {})).toEqual([]);
  });
});
