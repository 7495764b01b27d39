// Every change kind applied and undone, and the refusals that keep rules from injecting script.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { applyChange, isSafeUrl } from "../../src/act/changes";
import type { Change } from "../../src/rules/types";

let element: HTMLElement;
const refuse = vi.fn();
const env = { refuse };

beforeEach(() => {
  document.body.innerHTML = `<template id="promo"><b>Promo</b><i>!</i></template><div id="x" class="a" data-keep="1">Original <em>text</em></div>`;
  element = document.getElementById("x") as HTMLElement;
  refuse.mockReset();
});

function roundTrip(change: Change, check: () => void): void {
  const before = element.outerHTML;
  const undo = applyChange(element, change, env);
  expect(undo).toBeTypeOf("function");
  check();
  undo?.();
  expect(element.outerHTML).toBe(before);
}

describe("applyChange", () => {
  it("sets text as text, never HTML", () =>
    roundTrip({ selector: "#x", text: "<img src=x onerror=alert(1)>" }, () => {
      expect(element.textContent).toBe("<img src=x onerror=alert(1)>");
      expect(element.querySelector("img")).toBeNull();
    }));

  it("clones a page <template> into the element", () =>
    roundTrip({ selector: "#x", template: "#promo" }, () => expect(element.innerHTML).toBe("<b>Promo</b><i>!</i>")));

  it.each(["before", "after", "prepend", "append"] as const)("inserts text %s the element", (position) =>
    roundTrip({ selector: "#x", insert: { position, text: "NEW" } }, () => expect(document.body.textContent).toContain("NEW")));

  it("inserts a template's nodes", () =>
    roundTrip({ selector: "#x", insert: { position: "append", template: "#promo" } }, () => expect(element.querySelector("b")?.textContent).toBe("Promo")));

  // A <script> cloned out of a <template> runs once inserted (Chromium does; test/e2e/security.test.ts proves it).
  it("clones a template without its <script>s, HTML or SVG", () => {
    document.body.insertAdjacentHTML("beforeend", `<template id="scripted"><script>1</script><b>kept</b><svg><script>2</script></svg></template>`);
    roundTrip({ selector: "#x", template: "#scripted" }, () => expect(element.innerHTML).toBe("<b>kept</b><svg></svg>"));
    roundTrip({ selector: "#x", insert: { position: "append", template: "#scripted" } }, () => expect(element.querySelectorAll("script")).toHaveLength(0));
    expect(document.querySelectorAll("#scripted")[0]?.innerHTML).toContain("<script>1</script>"); // the page's template is left alone
  });

  it("sets href and attributes, removing one set to null", () =>
    roundTrip({ selector: "#x", href: "/docs", attributes: { title: "Hi", "data-keep": null } }, () => {
      expect(element.getAttribute("href")).toBe("/docs");
      expect(element.getAttribute("title")).toBe("Hi");
      expect(element.hasAttribute("data-keep")).toBe(false);
    }));

  it("adds and removes classes", () =>
    roundTrip({ selector: "#x", addClass: "b c", removeClass: ["a"] }, () => expect(element.className).toBe("b c")));

  it("hides with the hidden attribute and segmint-hidden class, and shows again", () => {
    roundTrip({ selector: "#x", hide: true }, () => {
      expect(element.hidden).toBe(true);
      expect(element.classList.contains("segmint-hidden")).toBe(true);
    });
    element.hidden = true;
    roundTrip({ selector: "#x", show: true }, () => expect(element.hidden).toBe(false));
  });

  it("uses the sanitize option for html where Element.setHTML is missing", () => {
    const sanitize = vi.fn((html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ""));
    const undo = applyChange(element, { selector: "#x", html: "<p>ok</p><script>alert(1)</script>" }, { refuse, sanitize });
    expect(sanitize).toHaveBeenCalled();
    expect(element.innerHTML).toBe("<p>ok</p>");
    undo?.();
    expect(element.textContent).toBe("Original text");
  });

  it("refuses html without a sanitizer, and changes nothing", () => {
    expect(applyChange(element, { selector: "#x", html: "<p>x</p>", addClass: "z" }, env)).toBeUndefined();
    expect(refuse).toHaveBeenCalledWith(expect.stringContaining("setHTML"));
    expect(element.className).toBe("a");
  });

  it.each([
    ["javascript:alert(1)"],
    ["JaVaScRiPt:alert(1)"],
    ["java\tscript:alert(1)"],
    [" javascript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["vbscript:msgbox(1)"],
  ])("refuses the URL %j and changes nothing", (url) => {
    expect(applyChange(element, { selector: "#x", href: url, text: "changed" }, env)).toBeUndefined();
    expect(element.textContent).toBe("Original text");
    expect(refuse).toHaveBeenCalledOnce();
  });

  it.each(["onclick", "ONLOAD", "style", "srcdoc", "bad name"])("refuses the attribute %j", (name) => {
    expect(applyChange(element, { selector: "#x", attributes: { [name]: "x" } }, env)).toBeUndefined();
    expect(element.hasAttribute(name)).toBe(false);
  });

  it("accepts http(s), relative, mailto: and tel: URLs", () => {
    for (const url of ["https://a.example/", "http://a.example", "/docs", "docs?x=1", "#top", "mailto:a@b.c", "tel:+1555"]) expect(isSafeUrl(url)).toBe(true);
  });
});
