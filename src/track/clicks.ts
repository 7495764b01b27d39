// Goal clicks: one delegated listener for `data-segmint-goal` elements and the experiences' `click` goal selectors.
import { guard, listen, type OnError } from "./listen";

/** A goal click: `data-segmint-goal`'s value, or an experience's selector with that experience's id. */
export interface ClickGoal {
  name: string;
  href?: string;
  experience?: string;
}

export interface ClickOptions {
  /** The current experiences' click goals, read on each click so that rule changes apply at once. */
  goalSelectors: () => ReadonlyArray<{ selector: string; experience: string }>;
  onGoal(goal: ClickGoal): void;
  onError?: OnError;
}

/** Reports each click on (or inside) a goal element; returns stop. */
export function watchClicks(options: ClickOptions): () => void {
  // Capture phase: a site handler that stops propagation (common on buttons and menus) must not hide the goal.
  return listen(document, "click", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const link = closest(target, "a[href]");
    const href = link && absolute(link.getAttribute("href") ?? "");
    // Guarded one by one: a failing handler for one goal must not swallow the others.
    const report = guard((goal: ClickGoal) => options.onGoal(href ? { ...goal, href } : goal), options.onError);
    const name = closest(target, "[data-segmint-goal]")?.getAttribute("data-segmint-goal");
    if (name) report({ name });
    for (const { selector, experience } of options.goalSelectors()) {
      if (closest(target, selector)) report({ name: selector, experience });
    }
  }, options.onError, true);
}

/** element.closest, with an invalid selector meaning "no match" instead of a SyntaxError. */
function closest(element: Element, selector: string): Element | null {
  try {
    return element.closest(selector);
  } catch {
    return null;
  }
}

/** The link's absolute URL (also for SVG `<a>`, whose `href` is not a string). */
function absolute(href: string): string | undefined {
  try {
    return new URL(href, document.baseURI).href;
  } catch {
    return undefined;
  }
}
