// An editor's problems as a list of buttons: `line 12 · segments[0]: unknown key "whne" (did you mean "when"?)`.
// Choosing one selects the place in the text it is about.
import type { Problem } from "./check";
import { el } from "./dom";

/** Shows `problems` in `list`; `onPick` gets the one a person chooses. */
export function renderProblems(list: HTMLElement, problems: readonly Problem[], onPick: (problem: Problem) => void): void {
  list.replaceChildren(...problems.map((problem) => el("li", {}, problemButton(problem, onPick))));
  list.hidden = problems.length === 0;
}

function problemButton(problem: Problem, onPick: (problem: Problem) => void): HTMLElement {
  const where = problem.at ? `line ${problem.at.line}${problem.path === "" ? `, column ${problem.at.column}` : ""}` : "";
  const label = problem.path === "" ? problem.message : `${problem.path}: ${problem.message}`;
  const content = [el("span", { class: "problem-where", text: where }), el("span", { class: "problem-text", text: label })];
  if (!problem.span) return el("span", { class: "problem" }, ...content);
  const button = el("button", { class: "problem" }, ...content);
  button.type = "button";
  button.addEventListener("click", () => onPick(problem));
  return button;
}

/** "1 problem", "3 problems". */
export function problemCount(problems: readonly Problem[]): string {
  return problems.length === 1 ? "1 problem" : `${problems.length} problems`;
}
