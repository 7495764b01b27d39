// What goes inside the offer dialog: a clone of the page's <template>, or segmint's own markup built from the
// rules' title/body/cta as text only (textContent, never HTML). Behaviour hangs off two markers that both kinds
// share: `data-segmint-close` dismisses, `data-segmint-accept` accepts.
import { unsafeUrlReason } from "../rules/references";
import type { Offer } from "../rules/types";
import type { OnError } from "./guard";

/** Builds the (closed, detached) offer dialog; undefined when `offer.template` matches no `<template>`. */
export function buildOffer(doc: Document, experienceId: string, offer: Offer, onError?: OnError): HTMLDialogElement | undefined {
  const dialog = doc.createElement("dialog");
  const nodes = offer.template === undefined ? textNodes(doc, offer, onError) : templateNodes(doc, offer.template);
  if (!nodes) return undefined;
  dialog.className = "segmint-offer";
  dialog.setAttribute("data-segmint-offer", experienceId);
  dialog.append(...nodes);
  // A template without markers: its first link or submit button is the call to action.
  if (!dialog.querySelector("[data-segmint-accept]")) dialog.querySelector("a[href],button[type=submit]")?.setAttribute("data-segmint-accept", "");
  if (!dialog.querySelector("[data-segmint-close]")) dialog.prepend(closeButton(doc));
  label(dialog, `segmint-offer-${experienceId}-title`, offer.title);
  return dialog;
}

function templateNodes(doc: Document, selector: string): Node[] | undefined {
  const template = doc.querySelector(selector);
  // importNode, not cloneNode: custom elements in the template upgrade in the page's document.
  return template?.localName === "template" ? [doc.importNode((template as HTMLTemplateElement).content, true)] : undefined;
}

function textNodes(doc: Document, offer: Offer, onError?: OnError): Node[] {
  const nodes: Node[] = [];
  if (offer.title) nodes.push(element(doc, "h2", "segmint-offer-title", offer.title));
  if (offer.body) nodes.push(element(doc, "p", "segmint-offer-body", offer.body));
  const cta = offer.cta;
  const refusal = cta?.href === undefined ? null : unsafeUrlReason(cta.href);
  if (refusal) onError?.(new Error(`offer cta.href refused: ${refusal}`));
  else if (cta) {
    const link = element(doc, cta.href === undefined ? "button" : "a", "segmint-offer-cta", cta.text);
    link.setAttribute(cta.href === undefined ? "type" : "href", cta.href ?? "button");
    link.setAttribute("data-segmint-accept", "");
    nodes.push(link);
  }
  return nodes;
}

function closeButton(doc: Document): HTMLElement {
  const button = element(doc, "button", "segmint-offer-close", "×");
  button.setAttribute("type", "button");
  button.setAttribute("aria-label", "Close");
  button.setAttribute("data-segmint-close", "");
  return button;
}

// The first heading names the dialog; without one, the rules' title (if any) does.
function label(dialog: HTMLDialogElement, id: string, title: string | undefined): void {
  const heading = dialog.querySelector("h1,h2,h3,h4,h5,h6,[role=heading]");
  if (heading) {
    heading.id ||= id;
    dialog.setAttribute("aria-labelledby", heading.id);
  } else if (title) dialog.setAttribute("aria-label", title);
}

function element(doc: Document, tag: string, className: string, text: string): HTMLElement {
  const el = doc.createElement(tag);
  el.className = className;
  el.textContent = text;
  return el;
}
