// Which experiences a visitor gets, and which variant: targeting, schedule, frequency caps, holdout, bucketing.
// Pure: the context, the time and the visitor's history with each experience arrive as arguments.
import { assignVariant } from "./bucket";
import { compileCondition } from "./condition";
import type { Change, Context, ExperienceDef, Rules } from "./types";

/** An experience's state, as `experiences()` reports it. */
export type ExperienceState = "applied" | "control" | "not-eligible" | "capped" | "waiting" | "scheduled" | "disabled";

/** What the visitor has done with one experience so far (kept in the profile store). */
export interface ExperienceHistory {
  shows?: number[];
  dismissedAt?: number;
  convertedAt?: number;
}

/** The decision for one experience. `changes` are what to apply when the state is `applied`. */
export interface ExperienceDecision {
  id: string;
  state: ExperienceState;
  variant?: string;
  reason?: string;
  changes: Change[];
}

/** A forced experience from `?segmint_preview=<id>[:variant]`. */
export interface Preview {
  id: string;
  variant?: string;
}

const DAY = 86_400_000;

/** Compiles every experience's targeting once; the result decides all of them for a context. */
export function compileExperiences(rules: Rules) {
  const compiled = rules.experiences.map((def) => ({
    def,
    when: def.when ? compileCondition(def.when, rules.groups) : undefined,
    pages: def.pages ? compileCondition(def.pages, rules.groups) : undefined,
  }));
  return (context: Context, visitorId: string, now: number, history: Record<string, ExperienceHistory>, preview?: Preview) =>
    compiled.map((c) =>
      preview?.id === c.def.id
        ? forced(c.def, preview)
        : decide(c.def, { context, visitorId, now, history: history[c.def.id], when: c.when, pages: c.pages }),
    );
}

interface DecideInput {
  context: Context;
  visitorId: string;
  now: number;
  history: ExperienceHistory | undefined;
  when: ((doc: unknown) => boolean) | undefined;
  pages: ((doc: unknown) => boolean) | undefined;
}

function decide(def: ExperienceDef, input: DecideInput): ExperienceDecision {
  const id = def.id;
  if (def.enabled === false) return { id, state: "disabled", changes: [] };
  const outside = scheduleReason(def, input.context.time.date, input.now);
  if (outside) return { id, state: "scheduled", reason: outside, changes: [] };
  const ineligible = eligibilityReason(def, input);
  if (ineligible) return { id, state: "not-eligible", reason: ineligible, changes: [] };
  const cap = capReason(def, input.history, input.now);
  if (cap) return { id, state: "capped", reason: cap, changes: [] };
  const variant = assignVariant(id, input.visitorId, def.holdout ?? 0, def.variants ?? []);
  if (variant === "control") return { id, state: "control", variant, changes: [] };
  return { id, state: "applied", variant, changes: changesOf(def, variant) };
}

function forced(def: ExperienceDef, preview: Preview): ExperienceDecision {
  const variant = preview.variant ?? def.variants?.[0]?.id ?? "treated";
  const state = variant === "control" ? "control" : "applied";
  return { id: def.id, state, variant, reason: "preview", changes: state === "applied" ? changesOf(def, variant) : [] };
}

function changesOf(def: ExperienceDef, variant: string): Change[] {
  return def.variants ? (def.variants.find((v) => v.id === variant)?.changes ?? []) : (def.changes ?? []);
}

// Date-only bounds are the visitor's local calendar days, `end` inclusive; full timestamps are exact instants.
function scheduleReason(def: ExperienceDef, today: string, now: number): string | undefined {
  if (def.start && (isDateOnly(def.start) ? today < def.start : now < Date.parse(def.start))) return `starts ${def.start}`;
  if (def.end && (isDateOnly(def.end) ? today > def.end : now > Date.parse(def.end))) return `ended ${def.end}`;
  return undefined;
}

function isDateOnly(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function eligibilityReason(def: ExperienceDef, input: DecideInput): string | undefined {
  const wanted = def.segment === undefined ? [] : typeof def.segment === "string" ? [def.segment] : def.segment;
  if (wanted.length > 0 && !wanted.some((s) => input.context.segments.includes(s))) return `not in segment ${wanted.join(" or ")}`;
  if (input.when && !input.when(input.context)) return "when does not match";
  if (input.pages && !input.pages(input.context)) return "not on its pages";
  return undefined;
}

function capReason(def: ExperienceDef, history: ExperienceHistory | undefined, now: number): string | undefined {
  const f = def.frequency;
  if (!f || !history) return undefined;
  if (f.afterDismissDays !== undefined && history.dismissedAt !== undefined && now - history.dismissedAt < f.afterDismissDays * DAY) return "dismissed recently";
  if (f.afterConversionDays !== undefined && history.convertedAt !== undefined && now - history.convertedAt < f.afterConversionDays * DAY) return "converted recently";
  if (f.maxShows !== undefined) {
    const since = f.perDays === undefined ? -Infinity : now - f.perDays * DAY;
    if ((history.shows ?? []).filter((t) => t > since).length >= f.maxShows) return `shown ${f.maxShows} times`;
  }
  return undefined;
}
