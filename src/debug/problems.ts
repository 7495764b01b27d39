// What went wrong: the runtime's reported problems by code, and the rules file checked path by path.
import type { RulesIssue } from "../rules/types";
import { button, code, h, note, type Child } from "./dom";
import type { Validation, View } from "./view";

/** The Problems section. */
export function renderProblems(view: View): Child[] {
  const reported = view.handle.problems();
  const url = view.handle.rulesUrl;
  return [
    reported.length
      ? h("ul", { class: "problems" }, ...reported.map((p) => h("li", {}, code(p.code), " ", p.message)))
      : note("No problems reported."),
    url && h("h4", {}, "Rules file"),
    url && validationOf(view.state.validation, url),
    url && h("div", { class: "actions" }, button("Check the rules file", view.validate, { key: "validate" })),
  ];
}

function validationOf(validation: Validation | undefined, url: string): Child {
  switch (validation?.status) {
    case undefined:
      return note(`${url}: not checked yet.`);
    case "checking":
      return note(`Checking ${url}…`);
    case "valid":
      return note(`${url} is valid: ${validation.segments} segments, ${validation.experiences} experiences.`);
    case "unreachable":
      return note(validation.message);
    case "invalid":
      return issuesOf(validation.issues, url);
  }
}

function issuesOf(issues: readonly RulesIssue[], url: string): HTMLElement {
  const notJson = issues.find((i) => i.message.startsWith("not valid JSON"));
  if (notJson) return h("p", { class: "problems" }, `${url} is not valid JSON: `, code(notJson.message.replace(/^not valid JSON:\s*/, "")));
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return h("div", {},
    h("p", {}, `${url} has ${count}:`),
    h("ul", { class: "problems" }, ...issues.map((i) => h("li", {}, code(i.path || "(the file)"), " ", i.message))),
  );
}
