// What a simulated visitor gets, shown as `segmint simulate` prints it: segments, metric values, experiences with
// their state, why each segment matched or not, and the context document the conditions read.
import type { Simulation } from "../../src/rules/simulate";
import type { ConditionExplanation } from "../../src/rules/types";
import { el, showJson } from "./dom";

/** The page's places for each part of a result. */
export interface ResultsView {
  summary: HTMLElement;
  segments: HTMLElement;
  metrics: HTMLTableSectionElement;
  experiences: HTMLTableSectionElement;
  explain: HTMLElement;
  context: HTMLElement;
}

/** Shows a simulation in `view`. */
export function renderResults(view: ResultsView, result: Simulation): void {
  view.summary.textContent = summary(result);
  view.segments.replaceChildren(...segmentChips(result.segments));
  view.metrics.replaceChildren(...metricRows(result.metrics));
  view.experiences.replaceChildren(...experienceRows(result.experiences));
  view.explain.replaceChildren(...result.explain.map(explanation));
  view.context.textContent = JSON.stringify(result.context, null, 2);
}

function summary({ context }: Simulation): string {
  const { visitor, session, page } = context;
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return `On ${page.url} on ${context.time.date}, session ${session.number}: ${plural(visitor.pageviews, "page view")} ` +
    `in ${plural(visitor.sessions, "session")}, referrer ${session.referrer.type}.`;
}

function segmentChips(segments: readonly string[]): HTMLElement[] {
  if (!segments.length) return [el("li", { class: "none", text: "in no segment" })];
  return segments.map((id) => el("li", { class: "chip", text: id, data: { segment: id } }));
}

function metricRows(metrics: Simulation["metrics"]): HTMLElement[] {
  const entries = Object.entries(metrics);
  if (!entries.length) return [row([cell("no metrics in these rules", "none", 2)])];
  return entries.map(([name, value]) => row([cell(name, "name"), cell(showJson(value), "json")], { metric: name }));
}

function experienceRows(experiences: Simulation["experiences"]): HTMLElement[] {
  if (!experiences.length) return [row([cell("no experiences in these rules", "none", 4)])];
  return experiences.map((e) =>
    row(
      [cell(e.id, "name"), cell(e.state, `state state-${e.state}`), cell(e.variant ?? "", "variant"), cell(e.reason ?? "", "reason")],
      { experience: e.id, state: e.state },
    ),
  );
}

function explanation(x: Simulation["explain"][number]): HTMLElement {
  const verdict = x.member ? (x.sticky ? "member (sticky)" : "member") : "not a member";
  const head = el("h4", {}, el("span", { class: "name", text: x.segment }), el("span", { class: `verdict ${x.member ? "in" : "out"}`, text: verdict }));
  const header = row(["", "path", "operator", "expected", "actual"].map((t) => el("th", { text: t })));
  const table = el("table", { class: "conditions" }, el("thead", {}, header), el("tbody", {}, ...x.conditions.map(conditionRow)));
  return el("section", { class: `explain ${x.member ? "member" : "not-member"}`, data: { segment: x.segment } }, head, table);
}

function conditionRow(c: ConditionExplanation): HTMLElement {
  return row(
    [cell(c.pass ? "✓" : "✗", "pass"), cell(c.path, "path"), cell(c.operator, "operator"), cell(showJson(c.expected), "json"), cell(showJson(c.actual), "json")],
    { pass: String(c.pass) },
    c.pass ? "pass" : "fail",
  );
}

function row(cells: HTMLElement[], data?: Record<string, string>, className?: string): HTMLTableRowElement {
  return el("tr", { ...(data ? { data } : {}), ...(className ? { class: className } : {}) }, ...cells);
}

function cell(text: string, className: string, span = 1): HTMLTableCellElement {
  const td = el("td", { class: className, text });
  if (span > 1) td.colSpan = span;
  return td;
}
