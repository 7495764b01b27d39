// Runtime problems: each has a stable code, goes to on("error") every time, and to the console at most once,
// so a broken rules file or a full disk is said clearly without flooding the host page's console.

/** Stable codes of the runtime problems segmint reports. */
export const ErrorCodes = {
  rulesInvalid: "SEGMINT_RULES_INVALID",
  rulesUnavailable: "SEGMINT_RULES_UNAVAILABLE",
  rulesTimeout: "SEGMINT_RULES_TIMEOUT",
  listenerFailed: "SEGMINT_LISTENER_FAILED",
  changeRefused: "SEGMINT_CHANGE_REFUSED",
  offerFailed: "SEGMINT_OFFER_FAILED",
  badCall: "SEGMINT_BAD_CALL",
  debugUnavailable: "SEGMINT_DEBUG_UNAVAILABLE",
  featureUnavailable: "SEGMINT_FEATURE_UNAVAILABLE",
  internal: "SEGMINT_INTERNAL",
} as const;

/** Creates the reporter of one instance. */
export function createReporter(emit: (problem: { code: string; message: string }) => void) {
  const warned = new Set<string>();
  return (code: string, message: string): void => {
    try {
      emit({ code, message });
    } catch {
      // A throwing error listener must not turn one problem into two.
    }
    if (warned.has(code) || typeof console === "undefined") return;
    warned.add(code);
    console.warn(`[segmint] ${code}: ${message}`);
  };
}

/** Reports problems with a stable code. */
export type Report = ReturnType<typeof createReporter>;
