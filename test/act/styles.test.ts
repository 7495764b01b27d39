// segmint's stylesheets: constructed and adopted where the browser has them, a <style> element where it does not
// (Safari before 16.4). A document made by createHTMLDocument has no window, hence no CSSStyleSheet constructor.
import { describe, expect, it, vi } from "vitest";
import { adoptStylesheet } from "../../src/act/styles";
import { createPrehider } from "../../src/act/prehide";

const withoutConstructedSheets = () => document.implementation.createHTMLDocument("old browser");

describe("segmint's stylesheets without constructable stylesheets", () => {
  it("adoptStylesheet puts the rules in a <style> in <head>, and takes it out again", () => {
    const doc = withoutConstructedSheets();
    const remove = adoptStylesheet(doc, ".segmint-hidden{display:none!important}");
    expect(Array.from(doc.head.querySelectorAll("style"), (s) => s.textContent)).toEqual([".segmint-hidden{display:none!important}"]);
    remove();
    expect(doc.head.querySelector("style")).toBeNull();
  });

  it("the pre-hider hides through a <style>, and shows again on reveal or after maxMs", () => {
    vi.useFakeTimers();
    try {
      const doc = withoutConstructedSheets();
      const prehider = createPrehider(doc);
      prehider.hide(["#hero h1", "#promo"], 150);
      expect(doc.head.querySelector("style")?.textContent).toBe("#hero h1{visibility:hidden!important}#promo{visibility:hidden!important}");
      prehider.reveal("#hero h1");
      expect(doc.head.querySelector("style")?.textContent).toBe("#promo{visibility:hidden!important}");
      vi.advanceTimersByTime(150);
      expect(doc.head.querySelector("style")).toBeNull();
      expect(prehider.pending()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
