// The panel's frame: a right-side drawer with a title bar (refresh, minimise, close), the QA banner, and one
// collapsible section per topic. Built once; only the sections' contents are re-rendered.
import { button, h, note, warnOnce, type Child } from "./dom";
import { renderBanner } from "./qa";
import { renderSegments } from "./segments";
import { renderExperiences } from "./experiences";
import { renderValues } from "./values";
import { renderEvents, renderHistory } from "./events";
import { renderProblems } from "./problems";
import { renderForget } from "./forget";
import type { View } from "./view";

interface Section {
  title: string;
  render(view: View): Child[];
}

const SECTIONS: readonly Section[] = [
  { title: "Problems", render: renderProblems },
  { title: "Segments", render: renderSegments },
  { title: "Experiences", render: renderExperiences },
  { title: "Visitor", render: renderValues },
  { title: "Recent events", render: renderEvents },
  { title: "Segment history", render: renderHistory },
  { title: "Visitor data", render: renderForget },
];

/** The built frame. */
export interface Shell {
  drawer: HTMLElement;
  /** Re-renders everything that depends on the instance and the panel's state. */
  fill(view: View): void;
}

/** Builds the frame; `onClose` runs when its close button is pressed. */
export function buildShell(view: View, onClose: () => void): Shell {
  const summary = h("span", { class: "summary" });
  const minimise = button("Minimise", () => ((view.state.minimised = !view.state.minimised), view.render()), {
    key: "minimise",
    attrs: { "aria-expanded": "true", "aria-controls": "segmint-debug-body" },
  });
  // ?segmint_debug=1 lasts for the tab (sessionStorage): the panel comes back on the next page until =0.
  const close = button("Close", onClose, {
    key: "close",
    attrs: { "aria-label": "Close the debug panel", title: "Opened by ?segmint_debug=1, it comes back on this tab's next page until ?segmint_debug=0" },
  });
  const bar = h("header", { class: "bar" },
    h("h2", {}, "segmint debug"), summary, button("Refresh", view.refresh, { key: "refresh" }), minimise, close);
  const banner = h("div", { class: "banner", attrs: { role: "status" } });
  banner.hidden = true;
  const bodies = SECTIONS.map(() => h("div", { class: "content" }));
  const sections = SECTIONS.map((section, i) =>
    h("details", { attrs: { open: "" } }, h("summary", {}, h("h3", {}, section.title)), bodies[i]));
  const body = h("div", { class: "body", attrs: { id: "segmint-debug-body" } }, ...sections);
  const drawer = h("aside", { class: "drawer", attrs: { "aria-label": "segmint debug panel" } }, bar, banner, body);

  return {
    drawer,
    fill(view) {
      const { minimised } = view.state;
      drawer.classList.toggle("min", minimised);
      body.hidden = minimised;
      minimise.textContent = minimised ? "Expand" : "Minimise";
      minimise.setAttribute("aria-expanded", String(!minimised));
      summary.textContent = safely(() => summaryOf(view), () => "");
      fillBanner(banner, safely(() => renderBanner(view), () => []));
      if (minimised) return;
      SECTIONS.forEach((section, i) => bodies[i]?.replaceChildren(...safely(() => section.render(view), failed).filter(isNode)));
    },
  };
}

// One failing part (an instance method that throws, say) leaves the rest of the panel working.
function safely<T>(render: () => T, fallback: (error: unknown) => T): T {
  try {
    return render();
  } catch (error) {
    warnOnce(error);
    return fallback(error);
  }
}

function failed(error: unknown): Child[] {
  return [note(`This section could not be shown: ${String(error)}`)];
}

function summaryOf(view: View): string {
  const total = view.handle.rules()?.segments.length ?? 0;
  const applied = view.handle.instance.experiences().filter((e) => e.state === "applied").length;
  return `${view.handle.instance.segments().length} of ${total} segments · ${applied} applied`;
}

// The banner is a live region: replaced only when its text changes, so screen readers announce changes, not frames.
function fillBanner(banner: HTMLElement, content: Child[]): void {
  const next = h("div", {}, ...content);
  if (next.textContent === banner.textContent) return;
  banner.replaceChildren(...Array.from(next.childNodes));
  banner.hidden = !content.length;
}

function isNode(child: Child): child is Node | string {
  return Boolean(child);
}
