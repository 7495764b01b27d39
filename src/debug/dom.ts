// Small DOM builders for the panel. Text always goes in as text nodes (never parsed as HTML), attribute names are
// the panel's own, and every handler is guarded: the panel must never throw into the host page.

/** What `h` takes as children: nodes, text, or nothing (falsy children are skipped). */
export type Child = Node | string | false | null | undefined;

/** Element options. */
export interface Props {
  class?: string;
  /** A stable name for a control, so it keeps keyboard focus across re-renders. */
  key?: string;
  attrs?: Record<string, string>;
  onClick?: () => void;
  onChange?: (target: HTMLInputElement) => void;
}

let warned = false;

/** Allows one more console warning: each opened panel may say once that something failed. */
export function rearmWarning(): void {
  warned = false;
}

/** Reports a panel failure on the console, once per panel: a debugging aid must not flood the page's console. */
export function warnOnce(error: unknown): void {
  if (warned || typeof console === "undefined") return;
  warned = true;
  console.warn("[segmint] debug panel:", error);
}

/** Wraps a handler so a failure is reported instead of thrown. */
export function guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch (error) {
      warnOnce(error);
    }
  };
}

/** Creates an element with its options and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.key) element.dataset.key = props.key;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  const { onClick, onChange } = props;
  if (onClick) element.addEventListener("click", guarded(onClick));
  if (onChange) element.addEventListener("change", guarded((event: Event) => onChange(event.target as HTMLInputElement)));
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A real button (keyboard and screen readers get it for free). */
export function button(text: string, onClick: () => void, props: Omit<Props, "onClick"> = {}): HTMLButtonElement {
  const element = h("button", { ...props, onClick }, text);
  element.type = "button";
  return element;
}

/** A table with column headers; `label` names it for screen readers. */
export function table(label: string, headers: readonly string[], rows: readonly Child[][]): HTMLTableElement {
  const head = h("tr", {}, ...headers.map((text) => h("th", { attrs: { scope: "col" } }, text)));
  const body = rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))));
  return h("table", { attrs: { "aria-label": label } }, h("thead", {}, head), h("tbody", {}, ...body));
}

/** A table, or a short note when there are no rows. */
export function tableOr(label: string, headers: readonly string[], rows: readonly Child[][], empty: string): HTMLElement {
  return rows.length ? table(label, headers, rows) : note(empty);
}

/** A muted paragraph. */
export function note(text: string): HTMLParagraphElement {
  return h("p", { class: "note" }, text);
}

/** Monospace text (paths, ids, values). */
export function code(text: string): HTMLElement {
  return h("code", {}, text);
}
