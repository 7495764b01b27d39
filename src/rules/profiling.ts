// Progressive profiling (DESIGN §2 `profiling`): which questions to ask next, and which answers to keep.
// Pure: the forms in profile/forms.ts and `nextFields(n)` on the instance both read the queue from here.
import type { Json, Profiling, ProfilingField } from "./types";

/** The site's progressive-profiling forms. */
export const PROFILE_FORMS = "form[data-segmint-profile]";

/** Why a value was refused; the form shows the browser's own message for that kind. */
export type InvalidKind = "email" | "number" | "tel" | "option";

/** A validated answer: `value` is what becomes the trait (null: left empty, which is no answer). */
export type Validated = { ok: true; value: Json } | { ok: false; kind: InvalidKind };

/** What one form shows: `ask` the next unknown fields, `always` the fields shown every time, `hidden` the rest. */
export interface FormPlan {
  ask: string[];
  hidden: string[];
  always: string[];
}

// The HTML spec's "valid e-mail address" (what a native type=email field accepts), so ours never disagrees with it.
// With the `i` flag and no `u` flag, [a-z] matches ASCII letters of either case and nothing else.
const EMAIL = /^[\w.!#$%&'*+/=?^`{|}~-]+@[a-z\d]([a-z\d-]{0,61}[a-z\d])?(\.[a-z\d]([a-z\d-]{0,61}[a-z\d])?)*$/i;
// Decimal notation only: Number() alone would also take "0x1f", "0b1" and "Infinity". Restricted to these
// characters, Number()'s grammar is exactly [+-]digits[.digits][e[+-]digits].
const NUMBER = /^[\d.e+-]+$/i;
// Digits, spaces and + ( ) . - only, with between 6 digits (the shortest local numbers) and 20 (E.164's 15 plus an extension).
const TEL = /^(?=(\D*\d){6,20}\D*$)[\d\s+().-]+$/;

/** A trait is known when it is an own property that is neither null nor "" (an empty answer is no answer). */
export function isKnown(traits: Record<string, Json>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(traits, name) && traits[name] !== null && traits[name] !== "";
}

/**
 * The next `n` fields to ask, in `profiling.fields` order: unknown ones only, and never an `always` field — those
 * are shown on every form anyway, so they do not take one of the `perForm` places. NaN and negative `n` ask nothing.
 */
export function nextFields(profiling: Profiling, traits: Record<string, Json>, n: number): ProfilingField[] {
  return profiling.fields.filter((f) => !profiling.always.includes(f.name) && !isKnown(traits, f.name)).slice(0, Math.max(0, n));
}

/** Splits the fields of one form: the first `perForm` unknown ones are asked, `always` ones shown, the rest hidden. */
export function formPlan(profiling: Profiling, traits: Record<string, Json>): FormPlan {
  const ask = nextFields(profiling, traits, profiling.perForm).map((f) => f.name);
  const names = profiling.fields.map((f) => f.name);
  const always = names.filter((name) => profiling.always.includes(name));
  return { ask, hidden: names.filter((name) => !ask.includes(name) && !always.includes(name)), always };
}

/** Checks one raw answer against its field's type; surrounding whitespace is ignored, as a native email field does. */
export function validateValue(field: ProfilingField, raw: string): Validated {
  const s = raw.trim();
  const kind = field.options ? "option" : field.type;
  const value = kind === "number" ? Number(s) : s;
  const valid =
    kind === "option" ? field.options?.includes(s)
    : kind === "email" ? EMAIL.test(s)
    : kind === "number" ? NUMBER.test(s) && Number.isFinite(value)
    : kind === "tel" ? TEL.test(s)
    : true;
  return !s ? { ok: true, value: null } : valid ? { ok: true, value } : { ok: false, kind: kind as InvalidKind };
}

/**
 * The traits a set of answers gives: valid, non-empty answers to known fields only. A `sensitive` field stores
 * `true` — the fact that it was answered, never the value.
 */
export function traitsFromAnswers(profiling: Profiling, answers: Record<string, string>): Record<string, Json> {
  const traits: Record<string, Json> = {};
  for (const field of profiling.fields) {
    const result = Object.prototype.hasOwnProperty.call(answers, field.name) && validateValue(field, answers[field.name] as string);
    if (result && result.ok && result.value !== null) traits[field.name] = field.sensitive || result.value;
  }
  return traits;
}
