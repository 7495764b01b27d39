// Progressive-profiling forms (DESIGN §2 `profiling`): `<form data-segmint-profile>` holds the site's own inputs,
// named after the profiling fields. Each visit shows the next few unknown ones, hides the known ones (still
// enabled and pre-filled, so the site's back end receives complete submissions), and learns from valid submits.
//
// What a field is, in the page: its controls are the form's inputs, selects and textareas with that `name`; what
// gets hidden is its wrapper `[data-segmint-field=name]` inside the form if there is one, else each control and its
// labels (`<label for>` or an enclosing `<label>`).
import { formPlan, isKnown, traitsFromAnswers, validateValue, type InvalidKind } from "../rules/profiling";
import type { Json, Profiling, ProfilingField } from "../rules/types";

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
type Guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => void;

const CONTROL = /^(INPUT|SELECT|TEXTAREA)$/;
const EVENTS = ["input", "change", "invalid", "submit"];
// segmint's stylesheet makes it `display: none !important`, so author CSS like `.row { display: flex }` cannot undo it.
const HIDDEN_CLASS = "segmint-hidden";

/** Enhances every `form[data-segmint-profile]` in `doc` now and on each `refresh()`. */
export function enhanceProfileForms(doc: Document, options: ProfileFormsOptions): ProfileForms {
  let undos: Undo[] = [];
  const guard: Guard = (fn) => (...args) => {
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
  const stop = guard(() => {
    undos.forEach((undo) => undo());
    undos = [];
  });
  const refresh = guard(() => {
    stop();
    doc.querySelectorAll<HTMLFormElement>("form[data-segmint-profile]").forEach((form) => undos.push(enhanceForm(form, options, guard)));
  });
  refresh();
  return { refresh, stop };
}

function enhanceForm(form: HTMLFormElement, options: ProfileFormsOptions, guard: Guard): Undo {
  const { profiling } = options;
  const traits = options.traits();
  const plan = formPlan(profiling, traits);
  const undos: Undo[] = [];
  const shown = plan.ask.concat(plan.always);
  for (const name of plan.hidden) {
    const controls = controlsOf(form, name);
    const field = fieldOf(profiling, name);
    if (!controls.length || !field) continue;
    if (isKnown(traits, name) && !field.sensitive) undos.push(fill(controls, traits[name] as Json));
    // Unknown and sensitive fields stay empty while hidden, and `required` would then block the submit.
    const required = controls.filter((c) => c.required);
    const restore = () => required.forEach((c) => (c.required = true));
    required.forEach((c) => (c.required = false));
    // A hidden control the browser rejects (a stored value against the site's own pattern, say) would block the
    // submit with no message the visitor can see: such a field stays visible, pre-filled, to be corrected.
    if (controls.every((c) => c.validity.valid)) undos.push(restore, hide(form, name, controls));
    else {
      restore();
      shown.push(name);
    }
  }
  for (const name of plan.always) {
    const field = fieldOf(profiling, name);
    const controls = controlsOf(form, name);
    if (field && !field.sensitive && isKnown(traits, name) && readValue(controls) === "") undos.push(fill(controls, traits[name] as Json));
  }
  const validity = new Set<Control>();
  const check = (control: Control) => {
    const field = shown.includes(control.name) && !isChoice(control) ? fieldOf(profiling, control.name) : undefined;
    if (!field) return;
    const result = validateValue(field, control.value);
    control.setCustomValidity(result.ok ? "" : nativeMessage(control, result.kind));
    validity.add(control);
  };
  shown.forEach((name) => controlsOf(form, name).forEach(check));
  const handler = guard((e: Event) => {
    if (e.type === "submit") submitted(form, options, shown);
    else if (isControl(e.target)) check(e.target);
  });
  // Capture: `invalid` does not bubble, a site's own input handler still gets the last word on validity, and the
  // answers are read before a site's submit handler can reset or replace the form. Nothing is ever prevented.
  for (const type of EVENTS) form.addEventListener(type, handler, true);
  undos.push(() => EVENTS.forEach((type) => form.removeEventListener(type, handler, true)));
  undos.push(() => validity.forEach((c) => c.setCustomValidity("")));
  return () => undos.reverse().forEach((undo) => undo());
}

function submitted(form: HTMLFormElement, options: ProfileFormsOptions, shown: string[]): void {
  // `novalidate` forms reach submit even when invalid; only a form the browser would accept teaches us anything.
  if (!Array.from(form.elements).every((el) => (el as Control).validity?.valid !== false)) return;
  const answers: Record<string, string> = {};
  for (const name of shown) answers[name] = readValue(controlsOf(form, name));
  const traits = traitsFromAnswers(options.profiling, answers);
  const fields = Object.keys(traits);
  if (fields.length) options.onAnswers(traits, fields);
}

function fieldOf(profiling: Profiling, name: string): ProfilingField | undefined {
  return profiling.fields.find((f) => f.name === name);
}

function isControl(el: unknown): el is Control {
  return !!el && CONTROL.test((el as Element).tagName ?? "");
}

const isChoice = (c: Control) => c.type === "radio" || c.type === "checkbox";

function controlsOf(form: HTMLFormElement, name: string): Control[] {
  return Array.from(form.elements).filter((el): el is Control => isControl(el) && el.name === name);
}

// Radios and checkboxes answer with the checked one's value; other controls with their own.
function readValue(controls: Control[]): string {
  const control = controls.find((c) => !isChoice(c) || (c as HTMLInputElement).checked);
  return control ? control.value : "";
}

/** Pre-fills a known trait; the undo only puts back what the visitor has not changed since. */
function fill(controls: Control[], trait: Json): Undo {
  if (trait === null || typeof trait === "object") return () => {};
  const value = String(trait);
  const undos = controls.map((c): Undo => {
    if (isChoice(c)) {
      const input = c as HTMLInputElement;
      const was = input.checked;
      const now = (input.checked = input.value === value);
      return () => input.checked === now && (input.checked = was);
    }
    const was = c.value;
    c.value = value;
    const now = c.value; // a select without that option reads back ""
    return () => c.value === now && (c.value = was);
  });
  return () => undos.forEach((undo) => undo());
}

function hide(form: HTMLFormElement, name: string, controls: Control[]): Undo {
  const wrapper = form.querySelector<HTMLElement>(`[data-segmint-field="${name}"]`);
  const targets = new Set<HTMLElement>(wrapper ? [wrapper] : controls.flatMap((c) => [c, ...Array.from(c.labels ?? [])]));
  const undos = Array.from(targets, (el): Undo => {
    if (el.hidden) return () => {}; // the site's own choice, not ours to undo
    el.hidden = true;
    el.classList.add(HIDDEN_CLASS);
    return () => {
      el.hidden = false;
      el.classList.remove(HIDDEN_CLASS);
    };
  });
  return () => undos.forEach((undo) => undo());
}

/**
 * The browser's own message for a value of this kind, from a detached native control given the same value, so it is
 * worded and localized exactly as a native field's. Browsers do not validate type=tel, and a type=number input
 * drops a value it cannot parse, so those two (and option mismatches) borrow the generic pattern / missing messages.
 */
function nativeMessage(control: Control, kind: InvalidKind): string {
  const doc = control.ownerDocument;
  let native: HTMLInputElement | HTMLSelectElement;
  if (kind === "option") {
    native = doc.createElement("select");
    native.required = true;
  } else {
    native = doc.createElement("input");
    if (kind === "email") native.type = "email";
    else {
      native.pattern = "(?!)"; // matches nothing
      native.title = control.title; // browsers append it to the pattern message, as for a native pattern field
    }
    native.value = control.value;
  }
  // An empty message would clear the error; no browser gives one, but a stub DOM might.
  return native.validationMessage || "Invalid value";
}
