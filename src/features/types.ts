// The narrow interface between the runtime (sdk.ts) and optional features wired on top of it: exit-intent
// offers and progressive profiling. A feature gets what it may use and returns the hooks the runtime calls.
import type { Emitter } from "../emitter";
import type { Report } from "../report";
import type { ExperienceHistory } from "../rules/experiences";
import type { ExitIntentOptions, Json, ProfilingField, Rules } from "../rules/types";

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
  /** Watches for exit intent; returns the stop. */
  exitIntent?(options: ExitIntentOptions, fire: () => void): () => void;
  /** The next `n` profiling fields to ask. */
  nextFields?(n: number): ProfilingField[];
  /** A new page view (SPA navigation). */
  navigated?(): void;
  destroy?(): void;
}

/** An optional feature: its stylesheet and how it starts. */
export interface Feature {
  css?: string;
  start(context: FeatureContext): FeatureHooks;
}
