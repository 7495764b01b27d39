// Which experiences a visitor gets, and which variant: targeting, schedule, frequency caps, holdout, bucketing.
// Pure: the context, the time and the visitor's history with each experience arrive as arguments.
import { assignVariant } from "./bucket";
import { compileCondition } from "./condition";
import type { Change, Context, Rules } from "./types";

/** An experience's state, as `experiences()` reports it. */
export type ExperienceState = "applied" | "control" | "not-eligible" | "capped" | "waiting" | "scheduled" | "disabled";

/** What the visitor has done with one experience so far (kept in the profile store). */
export interface ExperienceHistory {
  shows?: number[];
  dismissedAt?: number;
  convertedAt?: number;
}

/** The decision for one experience. `changes` are what to apply when the state is `applied`; no variant when blocked. */
export interface ExperienceDecision {
  id: string;
  state: ExperienceState;
  variant?: string | undefined;
  reason?: string | undefined;
  changes: Change[];
}

/** A forced experience from `?segmint_preview=<id>[:variant]`. */
export interface Preview {
  id: string;
  variant?: string;
}

/** Decides one experience (or, from compileExperiences, all of them) for a context. */
type Decide<T> = (context: Context, visitorId: string, now: number, history: Record<string, ExperienceHistory>, preview?: Preview) => T;

const DAY = 86_400_000;

/** Compiles every experience's targeting once; the result decides all of them for a context. */
export function compileExperiences(rules: Rules): Decide<ExperienceDecision[]> {
  const deciders = rules.experiences.map((def): Decide<ExperienceDecision> => {
    const { id, variants, start, end, frequency: { maxShows = Infinity, perDays = Infinity, afterDismissDays, afterConversionDays } = {} } = def;
    const [when, pages] = [def.when, def.pages].map((c) => c && compileCondition(c, rules.groups));
    const segments = [def.segment ?? []].flat();

    return (context, visitorId, now, history, preview) => {
      const { shows = [], dismissedAt, convertedAt } = history[id] ?? {};
      // How far the visit is past a bound. Date-only bounds (validated: YYYY-MM-DD or an ISO date-time) compare the
      // visitor's local calendar day, so `end` is inclusive; date-times compare the exact instant.
      const past = (bound: string) => (bound.length == 10 ? Date.parse(context.time.date) : now) - Date.parse(bound);
      // no time, or no limit, is NaN: never recent
      const recently = (t = NaN, days = NaN) => now - t < days * DAY;
      // [state, reason] when there is a reason
      const fail = (state: ExperienceState, reason: string | false | undefined) => reason && ([state, reason] as const);
      // a preview forces the experience past every check, and picks the variant itself
      const forced = preview?.id == id;
      // the first check the visitor fails, in order: enabled, schedule, targeting, caps
      const [state, reason]: readonly [(ExperienceState | undefined)?, string?] = forced ? [undefined, "preview"]
        : def.enabled == false ? ["disabled"]
        : fail("scheduled", start && past(start) < 0 ? `starts ${start}` : end && past(end) > 0 && `ended ${end}`) ||
          fail(
            "not-eligible",
            segments[0] && !segments.some((s) => context.segments.includes(s)) ? `not in segment ${segments.join(" or ")}`
              : when && !when(context) ? "when does not match"
              : pages && !pages(context) && "not on its pages",
          ) ||
          fail(
            "capped",
            recently(dismissedAt, afterDismissDays) ? "dismissed recently"
              : recently(convertedAt, afterConversionDays) ? "converted recently"
              // maxShows is at least 1 (validated), so no history is never capped
              : shows.filter((t) => recently(t, perDays)).length >= maxShows && `shown ${maxShows} times`,
          ) || [];
      const variant = state ? undefined
        : forced ? (preview.variant ?? variants?.[0]?.id ?? "treated")
        : assignVariant(id, visitorId, def.holdout ?? 0, variants ?? []);
      const changes = !variant || variant == "control" ? [] : variants ? variants.find((v) => v.id == variant)?.changes : def.changes;
      return { id, state: state ?? (variant == "control" ? "control" : "applied"), variant, reason, changes: changes ?? [] };
    };
  });
  return (...args) => deciders.map((decide) => decide(...args));
}
