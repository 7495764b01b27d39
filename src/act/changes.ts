// Applies one change of a rules file to one element and returns its undo (as GrowthBook's dom-mutator keeps
// an undo per mutation). Text over HTML; URLs and attribute names checked again here, whatever the rules said.
import type { Change } from "../rules/types";

/** Restores what one applied change altered. */
export type Undo = () => void;

/** What a change needs from its surroundings (`{{…}}` tokens are rendered before a change gets here). */
export interface ChangeEnv {
  /** An HTML sanitizer (the `sanitize` option), used only where `Element.setHTML` is missing. */
  sanitize?: ((html: string) => string) | undefined;
  /** Reports a change that was refused (it is skipped, never half-applied). */
  refuse(reason: string): void;
}

const HIDDEN_CLASS = "segmint-hidden";
const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "poster", "cite"];

/** Applies `change` to `element`; returns the undo, or undefined when the change was refused. */
export function applyChange(element: Element, change: Change, env: ChangeEnv): Undo | undefined {
  const refusal = refusalReason(change, env);
  if (refusal) {
    env.refuse(refusal);
    return undefined;
  }
  const undos: Undo[] = [];
  const content = contentUndo(element, change, env);
  if (content) undos.push(content);
  if (change.href !== undefined) undos.push(setAttribute(element, "href", change.href));
  for (const [name, value] of Object.entries(change.attributes ?? {})) undos.push(setAttribute(element, name, value));
  undos.push(...classUndos(element, change));
  if (change.hide || change.show) undos.push(setHidden(element, Boolean(change.hide)));
  return () => {
    for (const undo of undos.reverse()) undo();
  };
}

/** Whether a URL is one a rule may set: http(s), relative, mailto: or tel:. */
export function isSafeUrl(url: string): boolean {
  // Browsers drop ASCII whitespace and control characters inside a scheme (`java\tscript:`), so do the same.
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return !scheme || ["http", "https", "mailto", "tel"].includes(scheme[1] as string);
}

/** Whether an attribute name is one a rule may set (no event handlers, inline styles or srcdoc). */
export function isSafeAttributeName(name: string): boolean {
  const lower = name.toLowerCase();
  return /^[a-z_:][-a-z0-9_:.]*$/.test(lower) && !lower.startsWith("on") && lower !== "style" && lower !== "srcdoc";
}

function refusalReason(change: Change, env: ChangeEnv): string | undefined {
  const attributes = { ...change.attributes, ...(change.href === undefined ? {} : { href: change.href }) };
  for (const [name, value] of Object.entries(attributes)) {
    if (!isSafeAttributeName(name)) return `attribute "${name}" is not allowed`;
    if (value !== null && URL_ATTRIBUTES.includes(name.toLowerCase()) && !isSafeUrl(value)) return `URL "${value}" is not allowed`;
  }
  if (change.html !== undefined && !hasSetHTML() && !env.sanitize) return "html changes need Element.setHTML or the sanitize option";
  return undefined;
}

function contentUndo(element: Element, change: Change, env: ChangeEnv): Undo | undefined {
  if (change.text !== undefined) return replaceChildren(element, [document.createTextNode(change.text)]);
  if (change.template !== undefined) return replaceChildren(element, [cloneTemplate(change.template)]);
  if (change.html !== undefined) return setHtml(element, change.html, env);
  if (change.insert) return insert(element, change.insert);
  return undefined;
}

function replaceChildren(element: Element, nodes: Node[]): Undo {
  const previous = Array.from(element.childNodes);
  element.replaceChildren(...nodes);
  return () => element.replaceChildren(...previous);
}

function cloneTemplate(selector: string): Node {
  const template = document.querySelector(selector);
  return template instanceof HTMLTemplateElement ? template.content.cloneNode(true) : document.createDocumentFragment();
}

function setHtml(element: Element, html: string, env: ChangeEnv): Undo {
  const previous = Array.from(element.childNodes);
  const target = element as Element & { setHTML?: (html: string) => void };
  // Element.setHTML applies the browser's own safe sanitizer (Sanitizer API); only without it do we use the site's.
  if (typeof target.setHTML === "function") target.setHTML(html);
  else {
    const parsed = new DOMParser().parseFromString((env.sanitize as (h: string) => string)(html), "text/html");
    element.replaceChildren(...Array.from(parsed.body.childNodes));
  }
  return () => element.replaceChildren(...previous);
}

function insert(element: Element, op: NonNullable<Change["insert"]>): Undo {
  const node = op.template !== undefined ? cloneTemplate(op.template) : document.createTextNode(op.text ?? "");
  const added = node.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? Array.from(node.childNodes) : [node];
  element[op.position === "before" ? "before" : op.position === "after" ? "after" : op.position](node);
  return () => {
    for (const child of added) (child as ChildNode).remove();
  };
}

function setAttribute(element: Element, name: string, value: string | null): Undo {
  const previous = element.getAttribute(name);
  if (value === null) element.removeAttribute(name);
  else element.setAttribute(name, value);
  return () => (previous === null ? element.removeAttribute(name) : element.setAttribute(name, previous));
}

function classUndos(element: Element, change: Change): Undo[] {
  const list = (value: string | string[] | undefined) => (value === undefined ? [] : typeof value === "string" ? value.split(/\s+/) : value).filter(Boolean);
  const added = list(change.addClass).filter((c) => !element.classList.contains(c));
  const removed = list(change.removeClass).filter((c) => element.classList.contains(c));
  element.classList.add(...added);
  element.classList.remove(...removed);
  return [() => (element.classList.remove(...added), element.classList.add(...removed))];
}

function setHidden(element: Element, hide: boolean): Undo {
  const hadAttribute = element.hasAttribute("hidden");
  const hadClass = element.classList.contains(HIDDEN_CLASS);
  element.toggleAttribute("hidden", hide);
  element.classList.toggle(HIDDEN_CLASS, hide);
  return () => {
    element.toggleAttribute("hidden", hadAttribute);
    element.classList.toggle(HIDDEN_CLASS, hadClass);
  };
}

function hasSetHTML(): boolean {
  return typeof (Element.prototype as { setHTML?: unknown }).setHTML === "function";
}
