// The narrow interface between the runtime (sdk.ts) and optional features wired on top of it: offers with the
// triggers that wait for the visitor, and progressive profiling. A feature gets what it may use and returns the hooks
// the runtime calls. The npm build carries both; the script tag fetches each from beside itself when the rules use it
// (boot.ts).
import type { Emitter } from "../emitter";
import type { Report } from "../report";
import type { ExperienceHistory } from "../rules/experiences";
import type { Json, ProfilingField, Rules, Trigger } from "../rules/types";

/** What the runtime lends a feature. */
export interface FeatureContext {
  rules: Rules;
  now: () => number;
  report: Report;
  emitter: Emitter;
  record(type: string, props?: Record<string, Json | undefined>): void;
  traits(): Record<string, Json>;
  setTraits(traits: Record<string, Json>): void;
  expose(id: string): void;
  convert(id: string, goal: string): void;
  remember(id: string, change: (history: ExperienceHistory) => ExperienceHistory): void;
}

/** What a started feature lets the runtime do. Every hook is optional. */
export interface FeatureHooks {
  /** Opens the offer of experience `id` (its targeting, caps and holdout were decided by the runtime). */
  showOffer?(id: string): void;
  /** Watches for a trigger that waits for the visitor (exit intent, time, scroll depth); returns the stop. */
  watchTrigger?(trigger: Exclude<Trigger, "load">, fire: () => void): () => void;
  /** The next `n` profiling fields to ask. */
  nextFields?(n: number): ProfilingField[];
  /** A new page view (SPA navigation). */
  navigated?(): void;
  destroy?(): void;
}

/** An optional feature: how it starts (a feature adopts its own stylesheet, and removes it in `destroy`). */
export interface Feature {
  start(context: FeatureContext): FeatureHooks;
}

/**
 * A feature a build carries, or the loader of one it fetches only for rules that use it (the script tag's offers and
 * profiling bundles); the loader returns undefined when these rules do not need it.
 */
export type FeatureSource = Feature | ((rules: Rules) => Promise<Feature> | undefined);
