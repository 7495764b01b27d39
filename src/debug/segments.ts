// Every segment of the rules, member or not, with why: explain() per condition, and the QA switch to force it.
import type { SegmentExplanation } from "../rules/engine";
import type { SegmentDef } from "../rules/types";
import { formatValue } from "./format";
import { button, code, h, note, table, type Child } from "./dom";
import { setForced } from "./qa";
import type { View } from "./view";

/** The Segments section. */
export function renderSegments(view: View): Child[] {
  const rules = view.handle.rules();
  if (!rules) return [note("No rules are loaded: see Problems.")];
  if (!rules.segments.length) return [note("The rules define no segments.")];
  const members = new Set(view.handle.instance.segments());
  const forced = new Set(view.handle.forced());
  return [h("ul", { class: "segments" }, ...rules.segments.map((def) => segmentItem(view, def, members.has(def.id), forced.has(def.id))))];
}

function segmentItem(view: View, def: SegmentDef, member: boolean, forced: boolean): HTMLLIElement {
  const open = view.state.expanded.has(def.id);
  const explanation = member || open ? view.handle.instance.explain(def.id) : undefined;
  const explainId = `explain-${def.id}`;
  const why = button("Why?", () => toggle(view, def.id), {
    key: `why:${def.id}`,
    attrs: { "aria-expanded": String(open), "aria-controls": explainId, "aria-label": `Why? ${def.id}` },
  });
  const row = h("div", { class: "segment-row" },
    h("span", { class: "segment-id" }, def.id),
    ...badges(member, explanation?.sticky === true, forced),
    why,
    forceSwitch(view, def.id, forced),
  );
  return h("li", { class: "segment", attrs: { "data-segment": def.id } },
    row,
    def.description && note(def.description),
    open && h("div", { attrs: { id: explainId } }, explanationOf(def.id, explanation)),
  );
}

function badges(member: boolean, sticky: boolean, forced: boolean): Child[] {
  return [
    h("span", { class: member ? "badge member" : "badge" }, member ? "member" : "not a member"),
    sticky && h("span", { class: "badge sticky", attrs: { title: "Kept in by stickyDays: its conditions no longer hold" } }, "sticky"),
    forced && h("span", { class: "badge forced", attrs: { title: "Forced for QA in this tab" } }, "forced"),
  ];
}

function forceSwitch(view: View, id: string, forced: boolean): HTMLLabelElement {
  const box = h("input", {
    key: `force:${id}`,
    attrs: { "aria-label": `Force ${id} in this tab` },
    onChange: (input) => setForced(view, id, input.checked),
  });
  box.type = "checkbox";
  box.checked = forced;
  return h("label", { class: "force", attrs: { title: "Lasts for this tab only (sessionStorage)" } }, box, "force in this tab");
}

function toggle(view: View, id: string): void {
  if (view.state.expanded.has(id)) view.state.expanded.delete(id);
  else view.state.expanded.add(id);
  view.render();
}

function explanationOf(id: string, explanation: SegmentExplanation | undefined): HTMLElement {
  if (!explanation) return note("Not evaluated yet.");
  if (!explanation.conditions.length) return note("No conditions: every visitor is a member.");
  const rows = explanation.conditions.map((c): Child[] => [
    code(c.path),
    code(c.operator),
    code(formatValue(c.expected)),
    code(formatValue(c.actual)),
    h("span", { class: c.pass ? "pass" : "fail", attrs: { "aria-label": c.pass ? "passes" : "fails" } }, c.pass ? "✓" : "✗"),
  ]);
  return table(`Conditions of ${id}`, ["path", "operator", "expected", "actual", "pass"], rows);
}
