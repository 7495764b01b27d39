// Each experience's state for this visitor, with a button to show an offer now (QA).
import type { ExperienceStatus } from "../sdk";
import { button, code, h, tableOr, type Child } from "./dom";
import type { View } from "./view";

/** The Experiences section. */
export function renderExperiences(view: View): Child[] {
  const offers = new Set(view.handle.rules()?.experiences.filter((e) => e.offer).map((e) => e.id));
  const rows = view.handle.instance.experiences().map((status) => row(view, status, offers.has(status.id)));
  return [tableOr("Experiences", ["experience", "state", "variant", "reason", ""], rows, "No experiences.")];
}

function row(view: View, status: ExperienceStatus, hasOffer: boolean): Child[] {
  const show = () => view.handle.instance.showOffer(status.id);
  return [
    code(status.id),
    h("span", { class: `state state-${status.state}` }, status.state),
    status.variant ? code(status.variant) : "",
    status.reason ?? "",
    hasOffer && button("Show offer", show, { key: `offer:${status.id}`, attrs: { "aria-label": `Show offer ${status.id}` } }),
  ];
}
