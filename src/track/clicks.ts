// Goal clicks: one delegated listener for `data-segmint-goal` elements and the experiences' `click` goal selectors.
import { attempt, guard, listen, type OnError } from "./listen";

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
export function watchClicks({ goalSelectors, onGoal, onError }: ClickOptions): () => void {
  // Capture phase: a site handler that stops propagation (common on buttons and menus) must not hide the goal.
  return listen(document, "click", ({ target }) => {
    if (!(target instanceof Element)) return;
    // An invalid selector means "no match", not a SyntaxError.
    const closest = (selector: string) => attempt(() => target.closest(selector));
    const link = closest("a[href]");
    // The link's absolute URL (also for SVG `<a>`, whose `href` is not a string); none when it does not parse.
    const href = link && attempt(() => new URL(link.getAttribute("href")!, document.baseURI).href);
    // Guarded one by one: a failing handler for one goal must not swallow the others.
    const report = guard((goal: ClickGoal) => onGoal(href ? { ...goal, href } : goal), onError);
    const name = closest("[data-segmint-goal]")?.getAttribute("data-segmint-goal");
    if (name) report({ name });
    for (const { selector, experience } of goalSelectors()) if (closest(selector)) report({ name: selector, experience });
  }, onError, true);
}
