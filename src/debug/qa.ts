// QA in this tab: forcing segments (the runtime keeps them in sessionStorage), and the banner that says so.
import { button, code, h, type Child } from "./dom";
import type { View } from "./view";

/** Forces `id` on or off, keeping the others. */
export function setForced(view: View, id: string, on: boolean): void {
  const forced = view.handle.forced().filter((other) => other !== id);
  view.handle.force(on ? [...forced, id] : forced);
  view.refresh();
}

/** The banner shown while segments are forced: visible even when the panel is minimised. */
export function renderBanner(view: View): Child[] {
  const forced = view.handle.forced();
  if (!forced.length) return [];
  const stop = button("Stop forcing", () => (view.handle.force([]), view.refresh()), { key: "stop-forcing" });
  const ids = forced.flatMap((id, i) => (i ? [", ", code(id)] : [code(id)]));
  return [
    h("strong", {}, "QA: forcing "),
    ...ids,
    h("span", {}, " in this tab only; its events are marked qa: true."),
    stop,
  ];
}
