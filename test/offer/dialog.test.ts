import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getByRole, queryByRole } from "@testing-library/dom";
import { OFFER_CSS, openOffer, type DismissHow } from "../../src/offer/dialog";
import type { Offer } from "../../src/rules/types";

// jsdom has no HTMLDialogElement.showModal/close: a minimal stand-in, here only (src must cope without it too).
const proto = HTMLDialogElement.prototype as Partial<HTMLDialogElement>;
function polyfillDialog() {
  proto.showModal = vi.fn(function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  });
  proto.close = function (this: HTMLDialogElement) {
    if (!this.hasAttribute("open")) return;
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
}

const OFFER: Offer = { title: "Before you go…", body: "20% off your first month.", cta: { text: "Claim it", href: "#claim" } };

const makeHooks = () => ({
  onShow: vi.fn<() => void>(),
  onDismiss: vi.fn<(how: DismissHow) => void>(),
  onAccept: vi.fn<(href?: string) => void>(),
  onError: vi.fn<(err: unknown) => void>(),
});
let hooks: ReturnType<typeof makeHooks>;
const open = (offer: Offer = OFFER) => openOffer(document, "exit-discount", offer, hooks);
const dialog = () => document.querySelector("dialog");
const press = (key: string) => document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));

beforeEach(() => {
  polyfillDialog();
  hooks = makeHooks();
  document.body.innerHTML = `<main><button id="before">Read more</button></main>`;
  document.getElementById("before")!.focus();
});
afterEach(() => {
  vi.useRealTimers();
  delete proto.showModal;
  delete proto.close;
  document.body.replaceChildren();
  document.head.replaceChildren();
});

describe("openOffer from title/body/cta", () => {
  it("opens a modal, labelled dialog with a close button, and reports onShow", () => {
    expect(open()).toBeDefined();
    const d = getByRole(document.body, "dialog", { name: "Before you go…" }) as HTMLDialogElement;
    expect(d.open).toBe(true);
    expect(HTMLDialogElement.prototype.showModal).toHaveBeenCalledOnce();
    expect(document.getElementById(d.getAttribute("aria-labelledby")!)?.textContent).toBe("Before you go…");
    expect(getByRole(d, "button", { name: "Close" })).toBeTruthy();
    expect(d.querySelector(".segmint-offer-body")?.textContent).toBe("20% off your first month.");
    expect(getByRole(d, "link", { name: "Claim it" }).getAttribute("href")).toBe("#claim");
    expect(hooks.onShow).toHaveBeenCalledOnce();
  });

  it("renders text only: markup in the rules shows literally", () => {
    open({ title: "<img src=x onerror=alert(1)>", body: "<b>bold</b>", cta: { text: "<i>x</i>", href: "/ok" } });
    const d = dialog()!;
    expect(d.querySelector("img, b, i")).toBeNull();
    expect(d.querySelector("h2")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(d.querySelector("p")?.textContent).toBe("<b>bold</b>");
  });

  it("drops an unsafe cta link and reports it", () => {
    for (const href of ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "java&#x73;cript:alert(1)", "data:text/html,x"]) {
      open({ title: "t", cta: { text: "Go", href } });
      expect(dialog()!.querySelector("a")).toBeNull();
      dialog()!.remove();
    }
    expect(hooks.onError).toHaveBeenCalledTimes(4);
  });

  it("keeps http(s), relative, mailto: and tel: links", () => {
    for (const href of ["https://example.com/x", "/signup?code=STAY20", "mailto:sales@example.com", "tel:+15550100"]) {
      open({ title: "t", cta: { text: "Go", href } })!.close();
      expect(hooks.onError).not.toHaveBeenCalled();
    }
  });

  it("uses no style attributes or <style> elements", () => {
    open();
    expect(document.querySelector("[style], style")).toBeNull();
  });

  it("moves focus into the dialog even without showModal (non-modal fallback)", () => {
    delete proto.showModal;
    delete proto.close;
    open();
    expect(dialog()!.hasAttribute("open")).toBe(true);
    expect(dialog()!.contains(document.activeElement)).toBe(true);
    press("Escape");
    expect(hooks.onDismiss).toHaveBeenCalledWith("escape");
    expect(dialog()).toBeNull();
  });
});

describe("dismissing", () => {
  it("the close button dismisses with 'close', removes the element and returns focus", () => {
    open();
    expect(dialog()!.contains(document.activeElement)).toBe(true);
    getByRole(dialog()!, "button", { name: "Close" }).click();
    expect(hooks.onDismiss).toHaveBeenCalledWith("close");
    expect(dialog()).toBeNull();
    expect(document.activeElement?.id).toBe("before");
  });

  it("Escape dismisses with 'escape' (keydown, or the platform's cancel event)", () => {
    open();
    press("Escape");
    expect(hooks.onDismiss).toHaveBeenCalledWith("escape");
    expect(dialog()).toBeNull();
    expect(document.activeElement?.id).toBe("before");
    open();
    dialog()!.dispatchEvent(new Event("cancel", { cancelable: true }));
    expect(hooks.onDismiss).toHaveBeenLastCalledWith("escape");
    expect(hooks.onDismiss).toHaveBeenCalledTimes(2);
  });

  it("ignores other keys and an Escape the page's own widget handled", () => {
    open();
    press("Enter");
    document.activeElement!.addEventListener("keydown", (e) => e.preventDefault(), { once: true });
    press("Escape");
    expect(dialog()).not.toBeNull();
  });

  it("a click on the backdrop dismisses with 'backdrop'; a click inside the box does not", () => {
    open();
    const d = dialog()!;
    vi.spyOn(d, "getBoundingClientRect").mockReturnValue(DOMRect.fromRect({ x: 100, y: 100, width: 400, height: 300 }));
    const at = (type: string, x: number, y: number) => d.dispatchEvent(new MouseEvent(type, { bubbles: true, clientX: x, clientY: y }));
    at("pointerdown", 200, 200);
    at("click", 200, 200); // on the dialog's own padding
    at("pointerdown", 200, 200);
    at("click", 20, 20); // a text selection dragged out onto the backdrop
    expect(hooks.onDismiss).not.toHaveBeenCalled();
    at("pointerdown", 20, 20);
    at("click", 20, 20);
    expect(hooks.onDismiss).toHaveBeenCalledWith("backdrop");
    expect(dialog()).toBeNull();
  });

  it("close() removes it without reporting a dismissal, and is idempotent", () => {
    const offer = open()!;
    offer.close();
    offer.close();
    expect(dialog()).toBeNull();
    expect(hooks.onDismiss).not.toHaveBeenCalled();
    expect(document.activeElement?.id).toBe("before");
  });

  it("reports once, whichever way it closes first", () => {
    open();
    press("Escape");
    press("Escape");
    expect(hooks.onDismiss).toHaveBeenCalledOnce();
  });
});

describe("accepting", () => {
  it("a cta click reports onAccept(href), lets the link navigate, and removes the dialog after the click", () => {
    vi.useFakeTimers();
    open();
    const link = getByRole(dialog()!, "link", { name: "Claim it" });
    const notPrevented = link.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    expect(notPrevented).toBe(true);
    expect(hooks.onAccept).toHaveBeenCalledWith(new URL("#claim", location.href).href);
    expect(hooks.onDismiss).not.toHaveBeenCalled();
    expect(dialog()?.open).toBe(false); // out of the top layer at once
    vi.runAllTimers();
    expect(dialog()).toBeNull();
  });

  it("a cta without href is a button that accepts", () => {
    vi.useFakeTimers();
    open({ title: "Newsletter", cta: { text: "Got it" } });
    getByRole(dialog()!, "button", { name: "Got it" }).click();
    expect(hooks.onAccept).toHaveBeenCalledWith(undefined);
  });
});

describe("openOffer from a <template>", () => {
  const addTemplate = (html: string) => {
    const t = document.createElement("template");
    t.id = "exit-offer";
    t.innerHTML = html;
    document.body.append(t);
  };

  it("clones the page's markup, labels it by its first heading and honours its markers", () => {
    vi.useFakeTimers();
    addTemplate(`<div class="card"><h3>Wait!</h3><p>Take <b>20%</b> off</p>
      <a href="/terms">Terms</a> <a href="/signup" data-segmint-accept>Claim</a>
      <button type="button" data-segmint-close>No thanks</button></div>`);
    open({ template: "#exit-offer", title: "ignored when a heading exists" });
    const d = getByRole(document.body, "dialog", { name: "Wait!" });
    expect(d.querySelector(".card b")?.textContent).toBe("20%");
    expect(queryByRole(d, "button", { name: "Close" })).toBeNull(); // the template has its own close
    getByRole(d, "button", { name: "No thanks" }).click();
    expect(hooks.onDismiss).toHaveBeenCalledWith("close");
    expect(document.querySelector("template")?.content.querySelector(".card")).not.toBeNull(); // template untouched
  });

  it("without markers: adds a close button and makes the first link the call to action", () => {
    vi.useFakeTimers();
    addTemplate(`<p>Stay a while</p><a href="/signup">Claim</a>`);
    open({ template: "#exit-offer", title: "Before you go" });
    const d = getByRole(document.body, "dialog", { name: "Before you go" });
    expect(getByRole(d, "button", { name: "Close" })).toBeTruthy();
    getByRole(d, "link", { name: "Claim" }).dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    expect(hooks.onAccept).toHaveBeenCalledWith(new URL("/signup", location.href).href);
  });

  it("drops the template's <script>s (a cloned one would run once inserted)", () => {
    document.body.insertAdjacentHTML("beforeend", `<template id="scripted"><h2>Offer</h2><script>1</script><svg><script>2</script></svg></template>`);
    open({ template: "#scripted" });
    expect(dialog()?.querySelector("h2")?.textContent).toBe("Offer");
    expect(dialog()?.querySelectorAll("script")).toHaveLength(0);
  });

  it("returns undefined when the selector matches no <template>", () => {
    expect(open({ template: "#missing" })).toBeUndefined();
    document.body.insertAdjacentHTML("beforeend", `<div id="not-a-template"></div>`);
    expect(open({ template: "#not-a-template" })).toBeUndefined();
    expect(dialog()).toBeNull();
    expect(hooks.onShow).not.toHaveBeenCalled();
  });

  it("reports an invalid selector instead of throwing", () => {
    expect(open({ template: "##" })).toBeUndefined();
    expect(hooks.onError).toHaveBeenCalledOnce();
  });
});

describe("guards", () => {
  it("does not open while any <dialog> is open", () => {
    document.body.insertAdjacentHTML("beforeend", `<dialog open>the page's own</dialog>`);
    expect(open()).toBeUndefined();
    expect(document.querySelectorAll("dialog")).toHaveLength(1);
  });

  it("does not open a second offer over the first", () => {
    expect(open()).toBeDefined();
    expect(open()).toBeUndefined();
  });

  it("keeps hook errors away from the page", () => {
    hooks.onDismiss.mockImplementation(() => {
      throw new Error("boom");
    });
    open();
    expect(() => getByRole(dialog()!, "button", { name: "Close" }).click()).not.toThrow();
    expect(hooks.onError).toHaveBeenCalledWith(expect.objectContaining({ message: "boom" }));
    expect(dialog()).toBeNull();
  });

  it("cleans up when showModal throws", () => {
    proto.showModal = () => {
      throw new DOMException("nope", "InvalidStateError");
    };
    expect(open()).toBeUndefined();
    expect(dialog()).toBeNull();
    expect(hooks.onError).toHaveBeenCalledOnce();
  });
});

describe("OFFER_CSS", () => {
  it("uses segmint- classes and themable custom properties", () => {
    for (const name of ["bg", "fg", "accent", "radius", "width", "backdrop"]) expect(OFFER_CSS).toContain(`var(--segmint-offer-${name},`);
    expect(OFFER_CSS).toContain(".segmint-offer::backdrop");
  });

  it("parses as a stylesheet", () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(OFFER_CSS);
    expect(sheet.cssRules.length).toBeGreaterThanOrEqual(6);
  });
});
