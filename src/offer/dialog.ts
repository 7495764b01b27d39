// The offer dialog (DESIGN §2 "The offer"): a native <dialog> opened with showModal() in the page's light DOM, so
// the platform gives it the top layer, an inert page, Escape and focus handling, with no layout shift (the page's
// overflow is never touched). No <style> element and no style attributes: OFFER_CSS is adopted by the SDK as a
// constructed stylesheet, so a strict CSP still works.
import type { Offer } from "../rules/types";
import { buildOffer } from "./content";
import { guard, listen, type OnError } from "./guard";

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
  // position/inset/margin/z-index repeat the UA's modal styles, so the show()/[open] fallback overlays too.
  ".segmint-offer{position:fixed;inset:0;z-index:2147483647;box-sizing:border-box;width:min(var(--segmint-offer-width,26rem),calc(100% - 2rem));" +
  "height:fit-content;max-height:calc(100% - 2rem);margin:auto;padding:var(--segmint-offer-padding,1.5rem);overflow:auto;border:0;" +
  "border-radius:var(--segmint-offer-radius,12px);background:var(--segmint-offer-bg,#fff);color:var(--segmint-offer-fg,#222)}" +
  ".segmint-offer::backdrop{background:var(--segmint-offer-backdrop,#0009)}" +
  ".segmint-offer-close{position:absolute;top:.25rem;inset-inline-end:.25rem;padding:.25rem .5rem;border:0;background:none;color:inherit;font-size:1.5rem;cursor:pointer}" +
  ".segmint-offer-title{margin:0 0 .5rem;margin-inline-end:2rem;font-size:1.25rem}.segmint-offer-body{margin:0 0 1rem}" +
  ".segmint-offer-cta{display:inline-block;padding:.6rem 1.2rem;border:0;border-radius:6px;background:var(--segmint-offer-accent,#2563eb);" +
  "color:var(--segmint-offer-accent-fg,#fff);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}";

/** Shows `offer` as a modal dialog; undefined when its template matches nothing or a `<dialog>` is already open. */
export function openOffer(doc: Document, experienceId: string, offer: Offer, hooks: OfferHooks): OpenOffer | undefined {
  let dialog: HTMLDialogElement | undefined;
  try {
    if (doc.querySelector("dialog[open]")) return undefined;
    dialog = buildOffer(doc, experienceId, offer, hooks.onError);
    if (!dialog) return undefined;
    const previous = doc.activeElement;
    (doc.body ?? doc.documentElement).append(dialog);
    showModal(dialog);
    const handle = attach(doc, dialog, previous, hooks);
    focusInside(doc, dialog);
    guard(hooks.onShow, hooks.onError)();
    return handle;
  } catch (err) {
    dialog?.remove();
    guard(hooks.onError ?? (() => {}))(err);
    return undefined;
  }
}

// jsdom and Safari before 15.4 lack showModal(): show it non-modally rather than not at all.
function showModal(dialog: HTMLDialogElement): void {
  if (typeof dialog.showModal === "function") return dialog.showModal();
  if (typeof dialog.show === "function") dialog.show();
  dialog.setAttribute("open", "");
}

// The platform focuses the first focusable element on showModal(); the fallback needs it done by hand.
function focusInside(doc: Document, dialog: HTMLDialogElement): void {
  if (!dialog.contains(doc.activeElement)) (dialog.querySelector<HTMLElement>("[autofocus]") ?? dialog.querySelector<HTMLElement>("button,a[href],input,select,textarea"))?.focus();
}

function attach(doc: Document, dialog: HTMLDialogElement, previous: Element | null, hooks: OfferHooks): OpenOffer {
  const e = hooks.onError;
  let done = false;
  let downOnBackdrop = false;
  const finish = (report?: () => void, removeLater = false) => {
    if (done) return;
    done = true;
    stops.forEach((stop) => stop());
    if (typeof dialog.close === "function") dialog.close();
    dialog.removeAttribute("open");
    // After an accept the element stays one task longer: a form is only submitted while it is connected.
    if (removeLater) setTimeout(() => dialog.remove());
    else dialog.remove();
    if (previous?.isConnected) (previous as HTMLElement).focus?.();
    if (report) guard(report, e)();
  };
  const dismiss = (how: DismissHow) => () => finish(() => hooks.onDismiss(how));
  const stops = [
    listen<MouseEvent>(dialog, "pointerdown", (ev) => (downOnBackdrop = isBackdrop(dialog, ev)), e),
    listen<MouseEvent>(dialog, "click", (ev) => onClick(dialog, ev, downOnBackdrop, dismiss, (href) => finish(() => hooks.onAccept(href), true)), e),
    // `cancel` is the platform's Escape (close watcher); keydown covers the non-modal fallback.
    listen(dialog, "cancel", dismiss("escape"), e),
    listen<KeyboardEvent>(doc, "keydown", (ev) => ev.key === "Escape" && !ev.defaultPrevented && dismiss("escape")(), e),
    // Closed some other way (a <form method="dialog"> in a template, the page's own script).
    listen(dialog, "close", dismiss("close"), e),
  ];
  return { close: guard(() => finish(), e) };
}

function onClick(
  dialog: HTMLDialogElement,
  ev: MouseEvent,
  downOnBackdrop: boolean,
  dismiss: (how: DismissHow) => () => void,
  accept: (href?: string) => void,
): void {
  // A press that started inside (selecting text) and ended on the backdrop is not a backdrop click.
  if (ev.target === dialog) return void (downOnBackdrop && isBackdrop(dialog, ev) && dismiss("backdrop")());
  const target = ev.target as Element;
  const closer = target.closest("[data-segmint-close]");
  if (closer && dialog.contains(closer)) return dismiss("close")();
  const cta = target.closest("[data-segmint-accept]");
  // No preventDefault: the link navigates, the form submits, as the page built them.
  if (cta && dialog.contains(cta)) accept(cta.localName === "a" && cta.hasAttribute("href") ? (cta as HTMLAnchorElement).href : undefined);
}

// Clicks on ::backdrop target the dialog itself, outside its box.
function isBackdrop(dialog: HTMLDialogElement, ev: MouseEvent): boolean {
  const r = dialog.getBoundingClientRect();
  return ev.target === dialog && (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom);
}
