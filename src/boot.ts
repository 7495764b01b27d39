// The script tag's boot: reads the tag's data-* attributes, creates the instance once, replays the
// pre-load command queue, and sets window.segmint.
import { createSegmintWith, type DebugLoader, type DebugHandle, type DebugPanel } from "./sdk";
import { offers } from "./features/offers";
import { profiling } from "./features/profiling";
import type { ConsentState } from "./rules/types";

type DebugModule = { openDebugPanel(handle: DebugHandle): DebugPanel };
type SegmintWindow = Window & { segmint?: unknown; segmintDebugPanel?: DebugModule };

const CONSENT_STATES: readonly string[] = ["granted", "pending", "denied"];

/** Starts segmint from its <script> tag; a second copy of the tag finds the instance and does nothing. */
export function boot(win: SegmintWindow, script: HTMLOrSVGScriptElement | null): void {
  const existing = win.segmint;
  if (existing && !Array.isArray(existing)) return;
  const queue = Array.isArray(existing) ? existing.slice() : [];
  const instance = createSegmintWith([offers, profiling], optionsFrom(script), debugScriptNextTo(win, script));
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


// The debug panel is its own script, dist/segmint.debug.js, fetched from beside this one only when asked for
// (same origin, so a `script-src 'self'` policy allows it). It sets window.segmintDebugPanel.
function debugScriptNextTo(win: SegmintWindow, script: HTMLOrSVGScriptElement | null): DebugLoader {
  const base = script instanceof HTMLScriptElement && script.src ? script.src : win.location.href;
  return () =>
    new Promise((resolve, reject) => {
      if (win.segmintDebugPanel) return resolve(win.segmintDebugPanel);
      const tag = win.document.createElement("script");
      tag.src = new URL("segmint.debug.js", base).href;
      tag.onload = () => (win.segmintDebugPanel ? resolve(win.segmintDebugPanel) : reject(new Error(`${tag.src} did not set up the panel`)));
      tag.onerror = () => reject(new Error(`${tag.src} did not load`));
      win.document.head.append(tag);
    });
}
