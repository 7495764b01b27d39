// The playground's work in the URL fragment: what is saved comes back exactly; anything else is no work at all.
import { describe, expect, it } from "vitest";
import { decodeWork, encodeWork } from "../../demo/playground/work-hash";

describe("work in the URL fragment", () => {
  it("round-trips any text, Unicode and URL characters included, in URL-safe characters", () => {
    const work = { rules: '{ "a": "é — 😀 &?#=/+" }\n'.repeat(2000), history: "" };
    const hash = encodeWork(work);
    expect(hash).toMatch(/^#w=[A-Za-z0-9_-]+$/);
    expect(decodeWork(hash)).toEqual(work);
  });

  it("is no work when the fragment is something else or damaged", () => {
    const hash = encodeWork({ rules: "{}", history: "{}" });
    for (const other of ["", "#", "#top", hash.slice(0, -3), "#w=%%%", `#w=${btoa('{"rules":1,"history":"x"}')}`, `#w=${btoa("[]")}`]) {
      expect(decodeWork(other), other).toBeUndefined();
    }
  });
});
