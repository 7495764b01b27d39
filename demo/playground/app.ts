// The playground page wired together: two editors checked as you type, the visit builder, the simulated result,
// and the work kept in the URL's fragment.
import { simulate } from "../../src/rules/simulate";
import { byId } from "./dom";
import { wireBuilder, type BuilderTarget } from "./builder-view";
import { revealSpan } from "./caret";
import { checkHistoryText, checkRulesText, type Checked, type Problem } from "./check";
import { exampleHistoryText, exampleRulesText } from "./examples";
import { problemCount, renderProblems } from "./problems-view";
import { renderResults, type ResultsView } from "./results-view";
import { decodeWork, encodeWork, type Work } from "./work-hash";

const DEBOUNCE_MS = 200;
const EMPTY_HISTORY = '{\n  "events": []\n}\n';

/** One editor: its text, its problem list and its one-line status. */
interface Editor {
  text: HTMLTextAreaElement;
  problems: HTMLElement;
  status: HTMLElement;
}

interface Page {
  rules: Editor;
  history: Editor;
  results: HTMLElement;
  note: HTMLElement;
  view: ResultsView;
  builder: HTMLElement;
  builderStatus: HTMLElement;
}

/** Starts the playground in the current document. */
export async function startPlayground(): Promise<void> {
  const page = findPage();
  show(page, decodeWork(location.hash) ?? (await exampleWork()));
  const later = debounce(refresher(page), DEBOUNCE_MS);
  for (const editor of [page.rules, page.history]) editor.text.addEventListener("input", later.run);
  wireBuilder(page.builder, builderTarget(page, later.now), Date.now);
  wireButtons(page, later.now);
  later.now();
}

function builderTarget(page: Page, refresh: () => void): BuilderTarget {
  return {
    read: () => page.history.text.value,
    write: (text) => {
      page.history.text.value = text;
      page.history.text.scrollTop = page.history.text.scrollHeight; // the step just added is at the end
      refresh();
    },
    say: (message, refused) => {
      page.builderStatus.textContent = message;
      page.builderStatus.classList.toggle("invalid", refused);
    },
  };
}

function wireButtons(page: Page, refresh: () => void): void {
  byId("empty-history", HTMLButtonElement).addEventListener("click", () => {
    page.history.text.value = EMPTY_HISTORY;
    refresh();
  });
  byId("reset", HTMLButtonElement).addEventListener("click", () => void reset(page, refresh));
  // Back after "Reset to example" brings the earlier work back (reset pushed a new entry).
  addEventListener("popstate", () => {
    const saved = decodeWork(location.hash);
    if (!saved) return;
    show(page, saved);
    refresh();
  });
}

function findPage(): Page {
  const editor = (name: string): Editor => ({
    text: byId(`${name}-text`, HTMLTextAreaElement),
    problems: byId(`${name}-problems`, HTMLOListElement),
    status: byId(`${name}-status`, HTMLElement),
  });
  return {
    rules: editor("rules"),
    history: editor("history"),
    results: byId("results", HTMLElement),
    note: byId("results-note", HTMLElement),
    view: {
      summary: byId("summary", HTMLElement),
      segments: byId("segments", HTMLUListElement),
      metrics: byId("metrics-rows", HTMLTableSectionElement),
      experiences: byId("experiences-rows", HTMLTableSectionElement),
      explain: byId("explain", HTMLElement),
      context: byId("context-json", HTMLElement),
    },
    builder: byId("builder", HTMLElement),
    builderStatus: byId("builder-status", HTMLElement),
  };
}

async function exampleWork(): Promise<Work> {
  return { rules: await exampleRulesText(), history: exampleHistoryText() };
}

function show(page: Page, work: Work): void {
  page.rules.text.value = work.rules;
  page.history.text.value = work.history;
}

async function reset(page: Page, refresh: () => void): Promise<void> {
  refresh(); // saves the current work in this history entry before a new one holds the example
  const work = await exampleWork();
  history.pushState(null, "", encodeWork(work));
  show(page, work);
  page.builderStatus.textContent = "Back to the example (the browser's Back button brings your work back).";
  page.builderStatus.classList.remove("invalid");
  refresh();
}

/** Checks both texts, shows their problems, simulates when both are valid and saves the work in the URL. */
function refresher(page: Page): () => void {
  return () => {
    const rules = checkRulesText(page.rules.text.value);
    const visits = checkHistoryText(page.history.text.value);
    showCheck(page.rules, rules, rules.ok ? rulesSummary(rules.value) : "");
    showCheck(page.history, visits, visits.ok ? `${visits.value.events.length} events` : "");
    const failed = !rules.ok ? "the rules" : !visits.ok ? "the history" : undefined;
    page.note.textContent = failed ? `Fix the problems in ${failed} to update the result.` : "";
    if (rules.ok && visits.ok) {
      try {
        renderResults(page.view, simulate(rules.value, visits.value));
      } catch (e) {
        page.note.textContent = `The simulation failed: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    page.results.classList.toggle("stale", page.note.textContent !== "");
    save({ rules: page.rules.text.value, history: page.history.text.value });
  };
}

function showCheck<T>(editor: Editor, checked: Checked<T>, valid: string): void {
  const problems: Problem[] = checked.ok ? [] : checked.problems;
  renderProblems(editor.problems, problems, (problem) => problem.span && revealSpan(editor.text, problem.span));
  editor.status.textContent = checked.ok ? `Valid: ${valid}.` : problemCount(problems);
  editor.status.classList.toggle("invalid", !checked.ok);
}

function rulesSummary(rules: { segments: unknown[]; experiences: unknown[]; metrics: object }): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return `${count(rules.segments.length, "segment")}, ${count(rules.experiences.length, "experience")}, ${count(Object.keys(rules.metrics).length, "metric")}`;
}

// replaceState: typing must not fill the Back button with one entry per pause.
function save(work: Work): void {
  const hash = encodeWork(work);
  if (hash !== location.hash) history.replaceState(null, "", hash);
}

/** `run` calls `fn` once input has paused for `ms`; `now` calls it at once (and drops a pending call). */
function debounce(fn: () => void, ms: number): { run: () => void; now: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const now = () => {
    clearTimeout(timer);
    timer = undefined;
    fn();
  };
  return { run: () => (clearTimeout(timer), (timer = setTimeout(now, ms))), now };
}
