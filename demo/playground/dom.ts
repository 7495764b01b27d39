// Building the playground's DOM from text: every string goes in through textContent, never as HTML.

/** Attributes and text for `el`. */
export interface ElementProps {
  class?: string;
  text?: string;
  title?: string;
  data?: Record<string, string>;
}

/** A new element with its class, text, data-* attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  for (const [key, value] of Object.entries(props.data ?? {})) node.dataset[key] = value;
  node.append(...children);
  return node;
}

/** The element with this id, which the page must have: a missing one is a bug in index.html. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`playground: #${id} is missing or not a ${type.name}`);
  return node;
}

/** A value as JSON on one line, as the CLI prints it (`undefined` when there is none). */
export function showJson(value: unknown): string {
  return value === undefined ? "undefined" : (JSON.stringify(value) ?? String(value));
}
