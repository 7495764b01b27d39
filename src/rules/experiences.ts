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
  reason?: string | undefined;
  changes: Change[];
}

/** A forced experience from `?segmint_preview=<id>[:variant]`. */
export interface Preview {
  id: string;
  variant?: string;
}

type Test = ((doc: unknown) => boolean) | undefined;

const DAY = 86_400_000;

/** Compiles every experience's targeting once; the result decides all of them for a context. */
export function compileExperiences(rules: Rules) {
  const deciders = rules.experiences.map((def) => {
    const when = def.when && compileCondition(def.when, rules.groups);
    const pages = def.pages && compileCondition(def.pages, rules.groups);
    return (context: Context, visitorId: string, now: number, history: Record<string, ExperienceHistory>, preview?: Preview): ExperienceDecision => {
      const { id, variants } = def;
      // a preview forces the experience past every check, and picks the variant itself
      const forced = preview?.id === id ? preview : undefined;
      const [state, reason] = forced ? [undefined, "preview"] : blocked(def, when, pages, context, now, history[id]);
      if (state) return { id, state, reason, changes: [] };
      const variant = forced
        ? (forced.variant ?? variants?.[0]?.id ?? "treated")
        : assignVariant(id, visitorId, def.holdout ?? 0, variants ?? []);
      const control = variant === "control";
      const changes = control ? [] : variants ? variants.find((v) => v.id === variant)?.changes : def.changes;
      return { id, state: control ? "control" : "applied", variant, reason, changes: changes ?? [] };
    };
  });
  return (context: Context, visitorId: string, now: number, history: Record<string, ExperienceHistory>, preview?: Preview) =>
    deciders.map((decide) => decide(context, visitorId, now, history, preview));
}

/** The state and reason of the first check the visitor fails, in order: enabled, schedule, targeting, caps. */
function blocked(def: ExperienceDef, when: Test, pages: Test, context: Context, now: number, history: ExperienceHistory = {}): [ExperienceState?, string?] {
  const { start, end, frequency = {} } = def;
  // Date-only bounds (validated: YYYY-MM-DD or an ISO date-time) compare the visitor's local calendar day, so `end`
  // is inclusive; date-times compare the exact instant.
  const at = (bound: string) => (bound.length === 10 ? Date.parse(context.time.date) : now);
  const segments = [def.segment ?? []].flat();
  // no time, or no limit, never caps
  const recently = (t = -Infinity, days = -Infinity) => now - t < days * DAY;
  const since = now - (frequency.perDays ?? Infinity) * DAY;
  if (def.enabled === false) return ["disabled"];
  if (start && at(start) < Date.parse(start)) return ["scheduled", `starts ${start}`];
  if (end && at(end) > Date.parse(end)) return ["scheduled", `ended ${end}`];
  if (segments.length && !segments.some((s) => context.segments.includes(s))) return ["not-eligible", `not in segment ${segments.join(" or ")}`];
  if (when && !when(context)) return ["not-eligible", "when does not match"];
  if (pages && !pages(context)) return ["not-eligible", "not on its pages"];
  if (recently(history.dismissedAt, frequency.afterDismissDays)) return ["capped", "dismissed recently"];
  if (recently(history.convertedAt, frequency.afterConversionDays)) return ["capped", "converted recently"];
  // maxShows is at least 1 (validated), so no history is never capped
  if ((history.shows ?? []).filter((t) => t > since).length >= (frequency.maxShows ?? Infinity)) return ["capped", `shown ${frequency.maxShows} times`];
  return [];
}
