// The script tag's boot: reads the tag's data-* attributes, creates the instance once, replays the
// pre-load command queue, and sets window.segmint.
import { createSegmint } from "./create";
import type { ConsentState } from "./rules/types";

const CONSENT_STATES: readonly string[] = ["granted", "pending", "denied"];

/** Starts segmint from its <script> tag; a second copy of the tag finds the instance and does nothing. */
export function boot(win: Window & { segmint?: unknown }, script: HTMLOrSVGScriptElement | null): void {
  const existing = win.segmint;
  if (existing && !Array.isArray(existing)) return;
  const queue = Array.isArray(existing) ? existing.slice() : [];
  const instance = createSegmint(optionsFrom(script));
  win.segmint = instance;
  for (const command of queue) instance.push(command);
}

function optionsFrom(script: HTMLOrSVGScriptElement | null) {
  const data = script instanceof HTMLScriptElement ? script.dataset : {};
  const consent = data.consent;
  return {
    ...(data.rules ? { rules: data.rules } : {}),
    ...(consent && CONSENT_STATES.includes(consent) ? { consent: consent as ConsentState } : {}),
    ...(data.debug !== undefined ? { debug: true } : {}),
  };
}

