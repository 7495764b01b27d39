// Progressive profiling (DESIGN §2 `profiling`): which questions to ask next, and which answers to keep.
// Pure: the forms in profile/forms.ts and `nextFields(n)` on the instance both read the queue from here.
import type { Json, Profiling, ProfilingField } from "./types";

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
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
// Decimal notation only: Number() alone would also take "0x1f", "Infinity" and "1_000"-like surprises.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TEL = /^[\d\s+().-]+$/;

/** A trait is known when it is an own property that is neither null nor "" (an empty answer is no answer). */
export function isKnown(traits: Record<string, Json>, name: string): boolean {
  if (!Object.prototype.hasOwnProperty.call(traits, name)) return false;
  const value = traits[name];
  return value !== null && value !== "";
}

/**
 * The next `n` fields to ask, in `profiling.fields` order: unknown ones only, and never an `always` field — those
 * are shown on every form anyway, so they do not take one of the `perForm` places.
 */
export function nextFields(profiling: Profiling, traits: Record<string, Json>, n: number): ProfilingField[] {
  const max = n > 0 ? Math.floor(n) : 0; // NaN and negatives ask nothing
  const out: ProfilingField[] = [];
  for (const field of profiling.fields) {
    if (out.length >= max) break;
    if (!profiling.always.includes(field.name) && !isKnown(traits, field.name)) out.push(field);
  }
  return out;
}

/** Splits the fields of one form: the first `perForm` unknown ones are asked, `always` ones shown, the rest hidden. */
export function formPlan(profiling: Profiling, traits: Record<string, Json>): FormPlan {
  const ask = nextFields(profiling, traits, profiling.perForm).map((f) => f.name);
  const names = profiling.fields.map((f) => f.name);
  const always = names.filter((name) => profiling.always.includes(name));
  const hidden = names.filter((name) => !ask.includes(name) && !always.includes(name));
  return { ask, hidden, always };
}

/** Checks one raw answer against its field's type; surrounding whitespace is ignored, as a native email field does. */
export function validateValue(field: ProfilingField, raw: string): Validated {
  const s = raw.trim();
  if (s === "") return { ok: true, value: null };
  if (field.options) return field.options.includes(s) ? { ok: true, value: s } : { ok: false, kind: "option" };
  switch (field.type) {
    case "email":
      return EMAIL.test(s) ? { ok: true, value: s } : { ok: false, kind: "email" };
    case "number":
      return NUMBER.test(s) && Number.isFinite(Number(s)) ? { ok: true, value: Number(s) } : { ok: false, kind: "number" };
    case "tel":
      return TEL.test(s) && telDigits(s) ? { ok: true, value: s } : { ok: false, kind: "tel" };
    default:
      return { ok: true, value: s };
  }
}

// Between the shortest local numbers and E.164's 15 digits plus an extension.
function telDigits(s: string): boolean {
  const digits = s.replace(/\D/g, "").length;
  return digits >= 6 && digits <= 20;
}

/**
 * The traits a set of answers gives: valid, non-empty answers to known fields only. A `sensitive` field stores
 * `true` — the fact that it was answered, never the value.
 */
export function traitsFromAnswers(profiling: Profiling, answers: Record<string, string>): Record<string, Json> {
  const traits: Record<string, Json> = {};
  for (const field of profiling.fields) {
    if (!Object.prototype.hasOwnProperty.call(answers, field.name)) continue;
    const result = validateValue(field, answers[field.name] as string);
    if (result.ok && result.value !== null) traits[field.name] = field.sensitive ? true : result.value;
  }
  return traits;
}
