// Keeps the page in step with the experiences that apply: applies their changes to matching elements (also
// ones that appear later, through a MutationObserver), undoes changes that no longer apply, and resolves
// conflicts by priority — when two experiences change one element, the earlier one in the rules wins.
import { applyChange, type ChangeEnv, type Undo } from "./changes";
import type { Change } from "../rules/types";

/** The changes one experience wants on the page now. */
export interface WantedExperience {
  id: string;
  variant: string;
  changes: Change[];
}

interface Entry {
  key: string;
  experience: string;
  priority: number;
  change: Change;
  applied: Map<Element, Undo>;
}

/** Callbacks from the applier. */
export interface ApplierHooks extends ChangeEnv {
  /** An experience changed its first element (the moment its change is visible: the exposure). */
  onApplied(experience: string): void;
  /** A change reached an element matching its selector (pre-hiding of that selector can end). */
  onSelectorDone?(selector: string): void;
}

/** Creates the applier for one page; `destroy()` undoes everything it did. */
export function createApplier(root: Document, hooks: ApplierHooks) {
  let entries: Entry[] = [];
  const claims = new Map<Element, Entry>();
  let observer: MutationObserver | undefined;

  function scan(): void {
    for (const entry of entries) {
      try {
        scanEntry(entry);
      } catch (error) {
        hooks.refuse(`change to ${entry.change.selector} failed: ${String(error)}`);
      }
    }
  }

  function scanEntry(entry: Entry): void {
    if (!templatesReady(root, entry.change)) return;
    for (const element of matching(root, entry.change.selector)) if (isParsed(root, element)) applyEntry(entry, element);
    if (entry.applied.size > 0) hooks.onSelectorDone?.(entry.change.selector);
  }

  function applyEntry(entry: Entry, element: Element): void {
    if (entry.applied.has(element)) return;
    const owner = claims.get(element);
    if (owner && owner.experience !== entry.experience) {
      if (owner.priority < entry.priority) return;
      release(owner, element);
    }
    const undo = applyChange(element, entry.change, hooks);
    if (!undo) return;
    const first = !entries.some((e) => e.experience === entry.experience && e.applied.size > 0);
    entry.applied.set(element, undo);
    claims.set(element, entry);
    if (first) hooks.onApplied(entry.experience);
  }

  function release(entry: Entry, element: Element): void {
    entry.applied.get(element)?.();
    entry.applied.delete(element);
    if (claims.get(element) === entry) claims.delete(element);
  }

  function undoEntry(entry: Entry): void {
    for (const element of Array.from(entry.applied.keys()).reverse()) release(entry, element);
  }

  function watch(): void {
    const needed = entries.length > 0 && typeof MutationObserver === "function";
    if (needed && !observer) {
      observer = new MutationObserver(scan);
      observer.observe(root.documentElement, { childList: true, subtree: true });
      // The last elements of a page count as parsed only once parsing ends.
      if (root.readyState === "loading") root.addEventListener("DOMContentLoaded", scan, { once: true });
    } else if (!needed && observer) {
      observer.disconnect();
      observer = undefined;
    }
  }

  return {
    /** Makes the page show exactly `wanted` (in priority order). */
    sync(wanted: readonly WantedExperience[]): void {
      const next = toEntries(wanted);
      const keep = new Set(next.map((e) => e.key));
      for (const entry of entries.slice().reverse()) if (!keep.has(entry.key)) undoEntry(entry);
      const current = new Map(entries.map((e) => [e.key, e]));
      entries = next.map((e) => current.get(e.key) ?? e);
      scan();
      watch();
    },
    /** Ids of experiences that have a change whose selector matches nothing yet. */
    waiting(): string[] {
      return [...new Set(entries.filter((e) => e.applied.size === 0).map((e) => e.experience))];
    },
    /** Undoes every change and stops observing. */
    destroy(): void {
      for (const entry of entries.slice().reverse()) undoEntry(entry);
      entries = [];
      watch();
    },
  };
}

/** The applier `createApplier` returns. */
export type Applier = ReturnType<typeof createApplier>;

function toEntries(wanted: readonly WantedExperience[]): Entry[] {
  return wanted.flatMap((experience, priority) =>
    experience.changes.map((change, index) => ({
      key: `${experience.id}:${experience.variant}:${index}:${JSON.stringify(change)}`,
      experience: experience.id,
      priority,
      change,
      applied: new Map<Element, Undo>(),
    })),
  );
}

/** Whether the parser is done with `element`. */
// While the page is parsed, an element's children may still be on their way: changing its content now would
// leave the parser appending the original after ours. It is complete once a node follows it in the document.
export function isParsed(root: Document, element: Element): boolean {
  if (root.readyState !== "loading") return true;
  for (let node: Node | null = element; node && node !== root.documentElement; node = node.parentNode) {
    if (node.nextSibling) return true;
  }
  return false;
}

// A template change waits for its <template>, which may be parsed after the element it fills — and for its end: the
// parser inserts a <template> at its start tag and fills its content afterwards, so a clone taken between the two
// is empty or partial.
function templatesReady(root: Document, change: Change): boolean {
  const selector = change.template ?? change.insert?.template;
  return selector === undefined || matching(root, selector).some((t) => t instanceof HTMLTemplateElement && isParsed(root, t));
}

function matching(root: Document, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}
