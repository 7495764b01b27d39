// The offer dialog (DESIGN §2 "The offer"): a native <dialog> opened with showModal() in the page's light DOM, so
// the platform gives it the top layer, an inert page, Escape and focus handling, with no layout shift (the page's
// overflow is never touched). No <style> element and no style attributes: OFFER_CSS is adopted by the SDK as a
// constructed stylesheet, so a strict CSP still works.
//
// Content is a clone of the page's <template>, or segmint's own markup built from the rules' title/body/cta as text
// only (textContent, never HTML). Behaviour hangs off two markers both kinds share: `data-segmint-close` dismisses,
// `data-segmint-accept` accepts.
import { unsafeUrlReason } from "../rules/references";
import type { Offer } from "../rules/types";
import { guard, listen, report, type OnError } from "./guard";

/** How the visitor dismissed an offer. */
export type DismissHow = "escape" | "close" | "backdrop";

/** What the dialog reports; the SDK turns these into `offer` events, conversions and frequency history. */
export interface OfferHooks {
  onShow(): void;
  onDismiss(how: DismissHow): void;
  /** The call to action was clicked (a conversion); a link still navigates as usual. */
  onAccept(href?: string): void;
  onError?: OnError | undefined;
}

/** An open offer; `close()` removes it without reporting a dismissal (for `destroy()`). */
export interface OpenOffer {
  close(): void;
}

/** segmint's offer styles, themable through `--segmint-offer-*` custom properties (fallbacks inline). */
export const OFFER_CSS =
  // Centring, max-width/height and scrolling come from the UA's modal styles; border-box keeps the padding inside them.
  ".segmint-offer{box-sizing:border-box;width:var(--segmint-offer-width,26rem);padding:var(--segmint-offer-padding,1.5rem);border:0;" +
  "border-radius:var(--segmint-offer-radius,12px);background:var(--segmint-offer-bg,#fff);color:var(--segmint-offer-fg,#222)}" +
  ".segmint-offer::backdrop{background:var(--segmint-offer-backdrop,#0009)}" +
  ".segmint-offer-close{float:right;border:0;background:none;color:inherit;font-size:1.5rem}" +
  ".segmint-offer-title{margin-top:0}.segmint-offer-body{margin:0 0 1rem}" +
  ".segmint-offer-cta{display:inline-block;padding:.6rem 1.2rem;border:0;border-radius:6px;background:var(--segmint-offer-accent,#2563eb);" +
  "color:var(--segmint-offer-accent-fg,#fff);font:inherit;text-decoration:none}";

/** Shows `offer` as a modal dialog; undefined when its template matches nothing or a `<dialog>` is already open. */
export function openOffer(doc: Document, experienceId: string, offer: Offer, hooks: OfferHooks): OpenOffer | undefined {
  let dialog: HTMLDialogElement | undefined;
  try {
    if (doc.querySelector("dialog[open]")) return undefined;
    dialog = build(doc, experienceId, offer, hooks.onError);
    if (!dialog) return undefined;
    const previous = doc.activeElement as HTMLElement | null;
    doc.body.append(dialog);
    // jsdom and Safari before 15.4 lack showModal(): show it non-modally rather than not at all.
    if (dialog.showModal) dialog.showModal();
    else dialog.open = true;
    const close = wire(dialog, previous, hooks);
    // The platform focuses the autofocus or first focusable element on showModal(); the fallback focuses the first.
    if (!dialog.contains(doc.activeElement)) dialog.querySelector<HTMLElement>("[autofocus],button,a[href],input,select,textarea")?.focus();
    guard(hooks.onShow, hooks.onError)();
    return { close };
  } catch (err) {
    dialog?.remove();
    report(err, hooks.onError);
    return undefined;
  }
}

// The (closed, detached) dialog with its content, markers, close button and name; undefined when `offer.template`
// matches no `<template>`.
function build(doc: Document, experienceId: string, offer: Offer, onError?: OnError): HTMLDialogElement | undefined {
  const dialog = doc.createElement("dialog");
  const add = (tag: string, part: string, text: string) => {
    const el = dialog.appendChild(doc.createElement(tag));
    el.className = `segmint-offer-${part}`;
    el.textContent = text;
    return el;
  };
  const { template, title, body, cta } = offer;
  if (template !== undefined) {
    const source = doc.querySelector(template);
    if (source?.localName !== "template") return undefined;
    // importNode, not cloneNode: custom elements in the template upgrade in the page's document.
    const content = doc.importNode((source as HTMLTemplateElement).content, true);
    // A cloned template's <script> would run once inserted: an offer shows markup, never runs code.
    content.querySelectorAll("script").forEach((script) => script.remove());
    dialog.append(content);
  } else {
    if (title) add("h2", "title", title);
    if (body) add("p", "body", body);
    const href = cta?.href;
    const refusal = href === undefined ? null : unsafeUrlReason(href);
    if (refusal) report(new Error(`offer cta.href refused: ${refusal}`), onError);
    else if (cta) {
      // A link, or a button that accepts without navigating.
      const link = add(href === undefined ? "button" : "a", "cta", cta.text);
      Object.assign(link, href === undefined ? { type: "button" } : { href });
      link.setAttribute("data-segmint-accept", "");
    }
  }
  dialog.className = "segmint-offer";
  // A template without markers: its first link or submit button is the call to action.
  if (!dialog.querySelector("[data-segmint-accept]")) dialog.querySelector("a[href],button[type=submit]")?.setAttribute("data-segmint-accept", "");
  if (!dialog.querySelector("[data-segmint-close]")) {
    const close = add("button", "close", "×") as HTMLButtonElement;
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.setAttribute("data-segmint-close", "");
    dialog.prepend(close);
  }
  // The first heading names the dialog; without one, the rules' title (if any) does.
  const heading = dialog.querySelector("h1,h2,h3,h4,h5,h6,[role=heading]");
  if (heading) {
    heading.id ||= `segmint-offer-${experienceId}-title`;
    dialog.setAttribute("aria-labelledby", heading.id);
  } else if (title) dialog.setAttribute("aria-label", title);
  return dialog;
}

// Reports the first way the open dialog ends, then closes and removes it; returns the silent close. Listeners sit on
// the dialog itself, so they go with it: nothing to remove.
function wire(dialog: HTMLDialogElement, previous: HTMLElement | null, hooks: OfferHooks): () => void {
  const { onError } = hooks;
  let done = false;
  let downOnBackdrop = false;
  const finish = (then?: () => void, removeLater = false) => {
    if (done) return;
    done = true;
    dialog.close?.();
    dialog.open = false;
    // After an accept the element stays one task longer: a form is only submitted while it is connected.
    if (removeLater) setTimeout(() => dialog.remove());
    else dialog.remove();
    previous?.focus(); // close() restores focus after showModal(); the fallback needs it done by hand
    if (then) guard(then, onError)();
  };
  const dismiss = (how: DismissHow) => finish(() => hooks.onDismiss(how));
  const on = <E extends Event>(type: string, fn: (event: E) => void) => listen(dialog, type, fn, onError);
  on<MouseEvent>("pointerdown", (ev) => (downOnBackdrop = onBackdrop(dialog, ev)));
  on<MouseEvent>("click", (ev) => {
    const target = ev.target as Element;
    const cta = target.closest("[data-segmint-accept]");
    // A press that started inside (selecting text) and ended on the backdrop is not a backdrop click.
    if (target === dialog) {
      if (downOnBackdrop && onBackdrop(dialog, ev)) dismiss("backdrop");
    } else if (target.closest("[data-segmint-close]")) dismiss("close");
    // No preventDefault: the link navigates, the form submits, as the page built them.
    // A link reports its resolved href; a button has none.
    else if (cta) finish(() => hooks.onAccept((cta as HTMLAnchorElement).href || undefined), true);
  });
  // `cancel` is the platform's Escape (close watcher); keydown covers the non-modal fallback.
  on("cancel", () => dismiss("escape"));
  on<KeyboardEvent>("keydown", (ev) => {
    if (ev.key === "Escape" && !ev.defaultPrevented) dismiss("escape");
  });
  // Closed some other way (a <form method="dialog"> in a template, the page's own script).
  on("close", () => dismiss("close"));
  return () => finish();
}

// Clicks on ::backdrop target the dialog itself, outside its box.
function onBackdrop(dialog: HTMLDialogElement, ev: MouseEvent): boolean {
  const r = dialog.getBoundingClientRect();
  return ev.target === dialog && (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom);
}
