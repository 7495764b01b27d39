// The script tag's boot: reads the tag's data-* attributes, creates the instance once, replays the
// pre-load command queue, and sets window.segmint.
import { createSegmintWith, type DebugLoader, type DebugHandle, type DebugPanel } from "./sdk";
import type { FeatureSource } from "./features/types";
import type { FeatureWindow } from "./features/register";
import type { ConsentState, Rules } from "./rules/types";

type DebugModule = { openDebugPanel(handle: DebugHandle): DebugPanel };
type SegmintWindow = Window & FeatureWindow & { segmint?: unknown; segmintDebugPanel?: DebugModule };

const CONSENT_STATES: readonly string[] = ["granted", "pending", "denied"];
/** A script beside this one that has not run after this long counts as failed, so `ready` still resolves. */
const SCRIPT_TIMEOUT_MS = 5000;

/**
 * The optional features, each its own script (`segmint.<name>.js`), fetched only for rules that use it: offers and the
 * triggers that wait for the visitor never act before the history has loaded, and neither do profiling forms, so
 * first paint waits for neither.
 */
const FEATURES: Record<string, (rules: Rules) => boolean> = {
  offers: (rules) => rules.experiences.some((e) => e.offer || (e.trigger ?? "load") !== "load"),
  profiling: (rules) => rules.profiling.fields.length > 0,
};

/** Starts segmint from its <script> tag; a second copy of the tag finds the instance and does nothing. */
export function boot(win: SegmintWindow, script: HTMLOrSVGScriptElement | null): void {
  const existing = win.segmint;
  if (existing && !Array.isArray(existing)) return;
  const queue = Array.isArray(existing) ? existing.slice() : [];
  const base = script instanceof HTMLScriptElement && script.src ? script.src : win.location.href;
  const load = <T>(file: string, loaded: () => T | undefined) => () => scriptNextTo(win, new URL(file, base).href, loaded);
  const features = Object.keys(FEATURES).map((name): FeatureSource => {
    const fetch = load(`segmint.${name}.js`, () => win.segmintFeatures?.[name]);
    return (rules) => (FEATURES[name]!(rules) ? fetch() : undefined);
  });
  // The debug panel, dist/segmint.debug.js, only when asked for.
  const debug: DebugLoader = load("segmint.debug.js", () => win.segmintDebugPanel);
  const instance = createSegmintWith(features, optionsFrom(script), debug);
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

// Optional code is a script beside this one (same origin, so a `script-src 'self'` policy allows it) that sets a
// global of its own when it has run; one already on the page is used as it is.
function scriptNextTo<T>(win: SegmintWindow, src: string, loaded: () => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      const module = loaded();
      if (module) resolve(module);
      else reject(new Error(`${src} did not load`));
    };
    if (loaded()) return settle();
    const tag = win.document.createElement("script");
    tag.src = src;
    tag.onload = tag.onerror = settle;
    setTimeout(settle, SCRIPT_TIMEOUT_MS); // a no-op once settled
    win.document.head.append(tag);
  });
}
