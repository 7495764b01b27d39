// The visit builder's forms (`<form data-step="pageview">` …): each submit becomes a step appended to the history.
import { applyStep, formatHistory, parseTraitValue, type VisitStep } from "./history-builder";

/** What the builder needs from the page: the history's text, and what to do once it changed. */
export interface BuilderTarget {
  read(): string;
  write(text: string): void;
  /** Tells what the step did, or (`refused`) why it was not taken. */
  say(message: string, refused: boolean): void;
}

/** Wires every `form[data-step]` inside `root`; returns a function that unwires them. */
export function wireBuilder(root: HTMLElement, target: BuilderTarget, clock: () => number): () => void {
  const onSubmit = (event: SubmitEvent) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.step) return;
    event.preventDefault();
    const said = submitStep(form.dataset.step, new FormData(form), target, clock());
    target.say(said.message, !said.ok);
  };
  root.addEventListener("submit", onSubmit);
  return () => root.removeEventListener("submit", onSubmit);
}

function submitStep(kind: string, data: FormData, target: BuilderTarget, now: number): { ok: boolean; message: string } {
  const step = stepFrom(kind, data);
  if (typeof step === "string") return { ok: false, message: step };
  let history: unknown;
  try {
    history = JSON.parse(target.read() || '{ "events": [] }');
  } catch {
    return { ok: false, message: "Fix the history's JSON first: the builder adds to it." };
  }
  const result = applyStep(history, step, now);
  if (!result.ok) return { ok: false, message: `Not added: ${result.message}.` };
  target.write(formatHistory(result.history));
  return { ok: true, message: describe(step) };
}

/** A builder form's fields as a step, or what is wrong with them. */
export function stepFrom(kind: string, data: FormData): VisitStep | string {
  const text = (name: string) => String(data.get(name) ?? "").trim();
  const number = (name: string) => (text(name) === "" ? NaN : Number(text(name)));
  switch (kind) {
    case "pageview":
      return { kind, path: text("path") };
    case "search":
      return { kind, query: text("query") };
    case "dwell":
      return { kind, seconds: number("seconds"), path: text("path") };
    case "event": {
      const value = number("value");
      if (text("value") !== "" && !Number.isFinite(value)) return "The value of an event is a number.";
      return { kind, type: text("type"), ...(Number.isFinite(value) ? { value } : {}) };
    }
    case "return":
      return { kind, days: number("days") };
    case "trait":
      return { kind, name: text("name"), value: parseTraitValue(text("value")) };
    case "landing":
      return { kind, url: text("url"), referrer: text("referrer") };
    default:
      return `Unknown step "${kind}".`;
  }
}

function describe(step: VisitStep): string {
  switch (step.kind) {
    case "pageview":
      return `Added a page view of ${step.path}.`;
    case "search":
      return `Added a search for "${step.query}".`;
    case "dwell":
      return `Added ${step.seconds} s of reading${step.path ? ` on ${step.path}` : ""}.`;
    case "event":
      return `Added a ${step.type} event.`;
    case "return":
      return `Moved the clock ${step.days} day${step.days === 1 ? "" : "s"} on: the next page view starts a new session.`;
    case "trait":
      return `Set the trait ${step.name}.`;
    case "landing":
      return `The visitor is now on ${step.url}${step.referrer ? `, from ${step.referrer}` : ""}.`;
  }
}
