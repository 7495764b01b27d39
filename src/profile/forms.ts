// Progressive-profiling forms (DESIGN §2 `profiling`): `<form data-segmint-profile>` holds the site's own inputs,
// named after the profiling fields. Each visit shows the next few unknown ones, hides the known ones (still
// enabled and pre-filled, so the site's back end receives complete submissions), and learns from valid submits.
//
// What a field is, in the page: its controls are the form's inputs, selects and textareas with that `name`; what
// gets hidden is its wrapper `[data-segmint-field=name]` inside the form if there is one, else each control and its
// labels (`<label for>` or an enclosing `<label>`).
import { formPlan, isKnown, PROFILE_FORMS, traitsFromAnswers, validateValue, type InvalidKind } from "../rules/profiling";
import type { Json, Profiling } from "../rules/types";

export interface ProfileFormsOptions {
  profiling: Profiling;
  /** The visitor's traits now (read at each enhance and refresh). */
  traits: () => Record<string, Json>;
  /** A valid submit's answers: the traits to store (sensitive ones as `true`) and the names of the fields answered. */
  onAnswers(traits: Record<string, Json>, fields: string[]): void;
  onError?(e: unknown): void;
}

export interface ProfileForms {
  /** Plans every profile form in the document again (after an SPA navigation, or when traits changed). */
  refresh(): void;
  /** Undoes everything: hidden, required, pre-filled values still unchanged, custom validity, listeners. */
  stop(): void;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type Undo = () => void;

const CONTROL = /^(INPUT|SELECT|TEXTAREA)$/;
const EVENTS = ["input", "change", "invalid", "submit"];

/** Enhances every `form[data-segmint-profile]` in `doc` now and on each `refresh()`. */
export function enhanceProfileForms(doc: Document, options: ProfileFormsOptions): ProfileForms {
  const undos: Undo[] = [];
  const guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
    try {
      fn(...args);
    } catch (e) {
      try {
        options.onError?.(e);
      } catch {
        // a failing reporter must not reach the page either
      }
    }
  };
  const stop = guard(() => undos.splice(0).forEach((undo) => undo()));
  const refresh = guard(() => {
    stop();
    doc.querySelectorAll<HTMLFormElement>(PROFILE_FORMS).forEach((form) => enhanceForm(form, options, undos, guard));
  });
  refresh();
  return { refresh, stop };
}

function enhanceForm(form: HTMLFormElement, options: ProfileFormsOptions, undos: Undo[], guard: (fn: (e: Event) => void) => (e: Event) => void): void {
  const { profiling } = options;
  const traits = options.traits();
  const { hidden } = formPlan(profiling, traits);
  const shown: string[] = [];
  for (const { name, sensitive } of profiling.fields) {
    const controls = controlsOf(form, name);
    const hide = hidden.includes(name);
    // Known traits fill hidden fields (the site receives them), and always-shown ones the page left empty.
    if (!sensitive && isKnown(traits, name) && (hide || !readValue(controls))) fill(controls, traits[name] as Json, undos);
    // A hidden control the browser rejects (a stored value against the site's own pattern, say) would block the
    // submit with no message the visitor can see: such a field stays visible, pre-filled, to be corrected.
    if (hide && controls.length > 0 && controls.every((c) => c.validity.valid || c.validity.valueMissing)) {
      // Unknown and sensitive fields stay empty while hidden, and `required` would then block the submit.
      for (const c of controls) set(c, "required", false, undos);
      hideField(form, name, controls, undos);
    } else shown.push(name);
  }
  const fields = profiling.fields.filter((f) => shown.includes(f.name));
  const check = (control: Control) => {
    const field = fields.find((f) => f.name === control.name);
    if (!field || isChoice(control)) return;
    const result = validateValue(field, control.value);
    control.setCustomValidity(result.ok ? "" : nativeMessage(control, result.kind));
  };
  const checked = shown.flatMap((name) => controlsOf(form, name));
  checked.forEach(check);
  const handler = guard((e) => {
    if (e.type !== "submit") return check(e.target as Control);
    // `novalidate` forms reach submit even when invalid; only a form the browser would accept teaches us anything.
    if (form.matches(":invalid")) return;
    const learned = traitsFromAnswers(profiling, Object.fromEntries(shown.map((name) => [name, readValue(controlsOf(form, name))])));
    const names = Object.keys(learned);
    if (names.length) options.onAnswers(learned, names);
  });
  // Capture: `invalid` does not bubble, a site's own input handler still gets the last word on validity, and the
  // answers are read before a site's submit handler can reset or replace the form. Nothing is ever prevented.
  for (const type of EVENTS) form.addEventListener(type, handler, true);
  undos.push(() => {
    EVENTS.forEach((type) => form.removeEventListener(type, handler, true));
    checked.forEach((c) => c.setCustomValidity(""));
  });
}

const isChoice = (c: Control) => c.type === "radio" || c.type === "checkbox";

function controlsOf(form: HTMLFormElement, name: string): Control[] {
  return Array.from(form.elements).filter((el): el is Control => CONTROL.test(el.tagName) && (el as Control).name === name);
}

// Radios and checkboxes answer with the checked one's value; other controls with their own.
function readValue(controls: Control[]): string {
  return controls.find((c) => !isChoice(c) || (c as HTMLInputElement).checked)?.value ?? "";
}

/** Sets `el[key]`; the undo puts back the old value only if nobody (the visitor, the site) changed it since. */
function set<T extends object, K extends keyof T>(el: T, key: K, value: T[K], undos: Undo[]): void {
  const was = el[key];
  el[key] = value;
  const now = el[key]; // a select without that option reads back ""
  undos.push(() => {
    if (el[key] === now) el[key] = was;
  });
}

/** Pre-fills a known trait: radios and checkboxes by checking the matching one. */
function fill(controls: Control[], trait: Json, undos: Undo[]): void {
  if (typeof trait === "object") return; // no lists or records in a form control
  const value = String(trait);
  for (const c of controls) {
    if (isChoice(c)) set(c as HTMLInputElement, "checked", c.value === value, undos);
    else set(c, "value", value, undos);
  }
}

// segmint's stylesheet makes `segmint-hidden` `display: none !important`, so author CSS like `.row { display: flex }`
// cannot undo it. What the site hid itself is not ours to undo.
function hideField(form: HTMLFormElement, name: string, controls: Control[], undos: Undo[]): void {
  const wrapper = form.querySelector<HTMLElement>(`[data-segmint-field="${name}"]`);
  for (const el of wrapper ? [wrapper] : controls.flatMap((c): HTMLElement[] => [c, ...(c.labels ?? [])])) {
    if (el.hidden) continue;
    set(el, "hidden", true, undos);
    el.classList.add("segmint-hidden");
    undos.push(() => el.classList.remove("segmint-hidden"));
  }
}

/**
 * The browser's own message for a value of this kind, from a detached native control given the same value, so it is
 * worded and localized exactly as a native field's. Browsers do not validate type=tel, and a type=number input
 * drops a value it cannot parse, so those two (and option mismatches) borrow the generic pattern / missing messages.
 */
function nativeMessage(control: Control, kind: InvalidKind): string {
  const doc = control.ownerDocument;
  const native =
    kind === "option"
      ? Object.assign(doc.createElement("select"), { required: true })
      : Object.assign(
          doc.createElement("input"),
          // pattern "(?!)" matches nothing; browsers append the title to the pattern message, as for a native field.
          kind === "email" ? { type: "email" } : { pattern: "(?!)", title: control.title },
          { value: control.value },
        );
  // An empty message would clear the error; no browser gives one, but a stub DOM might.
  return native.validationMessage || "Invalid value";
}
