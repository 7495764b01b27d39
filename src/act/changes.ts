// Applies one change of a rules file to one element and returns its undo (as GrowthBook's dom-mutator keeps
// an undo per mutation). Text over HTML; URLs and attribute names checked again here, after `{{…}}` tokens
// were rendered, whatever the rules file said.
import type { Change } from "../rules/types";
import { ALLOWED_ATTRIBUTE, unsafeUrlReason, URL_ATTRIBUTE } from "../rules/references";

/** Restores what one applied change altered. */
export type Undo = () => void;

/** What a change needs from its surroundings (`{{…}}` tokens are rendered before a change gets here). */
export interface ChangeEnv {
  /** An HTML sanitizer (the `sanitize` option), used only where `Element.setHTML` is missing. */
  sanitize?: ((html: string) => string) | undefined;
  /** Reports a change that was refused (it is skipped, never half-applied). */
  refuse(reason: string): void;
}

/** Applies `change` to `element`; returns the undo, or undefined when the change was refused. */
export function applyChange(element: Element, change: Change, env: ChangeEnv): Undo | undefined {
  const attributes: Record<string, string | null> = { ...change.attributes, ...(change.href !== undefined && { href: change.href }) };
  const refusal = Object.entries(attributes).map(([name, value]) => attributeRefusal(name, value)).find(Boolean) ?? htmlRefusal(change, env);
  if (refusal) return void env.refuse(refusal);
  const undos = [content(element, change, env)];
  for (const [name, value] of Object.entries(attributes)) undos.push(setAttribute(element, name, value));
  undos.push(classes(element, change));
  if (change.hide || change.show) undos.push(setHidden(element, !!change.hide));
  return () => undos.reverse().forEach((undo) => undo?.());
}

/** Whether a URL is one a rule may set: http(s), relative, mailto: or tel: (the rules validator's own check). */
export const isSafeUrl = (url: string): boolean => !unsafeUrlReason(url);

// The validator's checks again, now on rendered values: a `{{…}}` token may have put a trait's URL there.
function attributeRefusal(name: string, value: string | null): string | undefined {
  if (!ALLOWED_ATTRIBUTE.test(name)) return `attribute "${name}" is not allowed`;
  if (value !== null && URL_ATTRIBUTE.test(name) && !isSafeUrl(value)) return `URL "${value}" is not allowed`;
  return undefined;
}

function htmlRefusal(change: Change, env: ChangeEnv): string | undefined {
  const native = typeof (Element.prototype as { setHTML?: unknown }).setHTML === "function";
  return change.html !== undefined && !native && !env.sanitize ? "html changes need Element.setHTML or the sanitize option" : undefined;
}

function content(element: Element, change: Change, env: ChangeEnv): Undo | undefined {
  const { text, template, html, insert } = change;
  if (insert) return insertNodes(element, insert.position, insert.template !== undefined ? cloneTemplate(insert.template) : new Text(insert.text ?? ""));
  if (text === undefined && template === undefined && html === undefined) return undefined;
  const previous = Array.from(element.childNodes);
  if (text !== undefined) element.textContent = text;
  else if (template !== undefined) element.replaceChildren(cloneTemplate(template));
  else setHtml(element, html as string, env);
  return () => element.replaceChildren(...previous);
}

function cloneTemplate(selector: string): Node {
  const template = document.querySelector(selector);
  return template instanceof HTMLTemplateElement ? withoutScripts(template.content.cloneNode(true) as DocumentFragment) : new DocumentFragment();
}

/** Removes every `<script>` (HTML or SVG) from a template's clone. */
// A <script> parsed inside a <template> was never "already started", so its clone RUNS once inserted (checked in
// Chromium 156): a rule may move the page's markup around, never make the page run code.
function withoutScripts(fragment: DocumentFragment): DocumentFragment {
  fragment.querySelectorAll("script").forEach((script) => script.remove());
  return fragment;
}

// Element.setHTML applies the browser's own safe sanitizer (Sanitizer API); only without it is the site's used.
function setHtml(element: Element, html: string, env: ChangeEnv): void {
  const target = element as Element & { setHTML?: (html: string) => void };
  if (target.setHTML) return target.setHTML(html);
  const parsed = new DOMParser().parseFromString((env.sanitize as (h: string) => string)(html), "text/html");
  element.replaceChildren(...Array.from(parsed.body.childNodes));
}

function insertNodes(element: Element, position: "before" | "after" | "prepend" | "append", node: Node): Undo {
  const added = node instanceof DocumentFragment ? Array.from(node.childNodes) : [node];
  element[position](node);
  return () => added.forEach((child) => (child as ChildNode).remove());
}

function setAttribute(element: Element, name: string, value: string | null): Undo {
  const previous = element.getAttribute(name);
  const set = (v: string | null) => (v === null ? element.removeAttribute(name) : element.setAttribute(name, v));
  set(value);
  return () => set(previous);
}

function classes(element: Element, change: Change): Undo | undefined {
  const list = (value: string | string[] = []) => (typeof value === "string" ? value.split(/\s+/) : value).filter(Boolean);
  if (!change.addClass && !change.removeClass) return undefined;
  const next = new Set([...element.classList, ...list(change.addClass)]);
  for (const name of list(change.removeClass)) next.delete(name);
  return setAttribute(element, "class", [...next].join(" "));
}

// `hidden` plus segmint's `segmint-hidden` class (display: none !important), so author CSS cannot undo it.
function setHidden(element: Element, hide: boolean): Undo {
  const had = [element.hasAttribute("hidden"), element.classList.contains("segmint-hidden"), element.hasAttribute("class")];
  const set = (attribute: boolean, cls: boolean) => (element.toggleAttribute("hidden", attribute), element.classList.toggle("segmint-hidden", cls));
  set(hide, hide);
  return () => {
    set(had[0] as boolean, had[1] as boolean);
    // Removing the last class leaves `class=""`: an element that had no class attribute gets none back.
    if (!had[2] && element.getAttribute("class") === "") element.removeAttribute("class");
  };
}
