// Progressive profiling wired into the runtime: site forms marked data-segmint-profile ask the next questions,
// answers become traits and a `profile {fields}` event; `nextFields(n)` for sites that render their own form.
import { enhanceProfileForms } from "../profile/forms";
import { nextFields } from "../rules/profiling";
import { ErrorCodes } from "../report";
import type { Feature } from "./types";

/** The progressive-profiling feature. */
export const profiling: Feature = {
  start(runtime) {
    const forms = enhanceProfileForms(document, {
      profiling: runtime.rules.profiling,
      traits: runtime.traits,
      onAnswers: (traits, fields) => (runtime.setTraits(traits), runtime.record("profile", { fields })),
      onError: (error) => runtime.report(ErrorCodes.internal, `profiling form: ${error}`),
    });
    // Forms after the head script are parsed later; SPA pages render theirs after navigating.
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", forms.refresh, { once: true });
    return {
      nextFields: (n) => nextFields(runtime.rules.profiling, runtime.traits(), n),
      navigated: () => queueMicrotask(forms.refresh),
      destroy: forms.stop,
    };
  },
};
