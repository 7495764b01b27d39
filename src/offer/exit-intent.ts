// Exit-intent detection (DESIGN §2 `trigger.exitIntent`). It only calls back; showing the offer is dialog.ts's job.
// Desktop signal: the pointer leaving through the top edge (as ouibounce). Touch signals, which desktop-only peers
// lack: a fast scroll back up after reading, returning from the tab switcher, and inactivity. A hybrid device
// (a touch laptop, an iPad with a trackpad) gets both sets. Address-bar shortcuts never reach the page.
import type { ExitIntentOptions } from "../rules/types";
import { guard, listen, type OnError } from "./guard";

/** Which signal detected exit intent. */
export type ExitReason = "pointer" | "scroll-up" | "tab-return" | "idle" | "back";

/** Reports exit intent; returns false when it was too early, blocked, or already reported. */
export type Fire = (reason: ExitReason) => boolean;

/** The rules' `exitIntent` options plus what the SDK supplies. */
export interface WatchExitIntentOptions extends ExitIntentOptions {
  /** Clock in ms; default `Date.now`. `minSecondsOnPage` counts from the call. */
  now?: (() => number) | undefined;
  /** True while exit intent must not fire (another offer showing); an open `<dialog>` always blocks. */
  isBlocked?: (() => boolean) | undefined;
  onExitIntent(reason: ExitReason): void;
  onError?: OnError | undefined;
}

/** DESIGN §2's defaults for `trigger.exitIntent`. */
export const EXIT_INTENT_DEFAULTS = {
  sensitivity: 20,
  minSecondsOnPage: 5,
  graceMs: 300,
  mobile: { scrollUp: true, tabReturn: true, idleSeconds: 0 },
  backButton: false,
} as const;

// A flick back up, not reading back: half a screen within 300 ms, once the visitor has scrolled half the page.
const SCROLL_UP_MS = 300;
const SCROLL_UP_SCREENS = 0.5;
const READ_SHARE = 0.5;
const TRAP = "segmintExit";

/** Watches for exit intent; calls `onExitIntent` at most once, then stops itself. Returns the stop. */
export function watchExitIntent(options: WatchExitIntentOptions): () => void {
  const stops: Array<() => void> = [];
  let done = false;
  const stop = () => {
    done = true;
    for (const s of stops.splice(0)) guard(s, options.onError)();
  };
  guard(() => {
    const now = options.now ?? Date.now;
    const start = now();
    const minMs = (options.minSecondsOnPage ?? EXIT_INTENT_DEFAULTS.minSecondsOnPage) * 1000;
    const fire: Fire = (reason) => {
      if (done || now() - start < minMs || isBlocked(options.isBlocked)) return false;
      stop();
      guard(options.onExitIntent, options.onError)(reason);
      return true;
    };
    stops.push(...startSignals(options, now, fire));
  }, options.onError)();
  return stop;
}

function startSignals(o: WatchExitIntentOptions, now: () => number, fire: Fire): Array<() => void> {
  const d = EXIT_INTENT_DEFAULTS;
  const stops: Array<() => void> = [];
  const mobile = o.mobile === false ? undefined : { ...d.mobile, ...o.mobile };
  if (hasFinePointer()) stops.push(watchPointerExit(o.sensitivity ?? d.sensitivity, o.graceMs ?? d.graceMs, fire, o.onError));
  if (mobile && isTouch()) {
    if (mobile.scrollUp) stops.push(watchScrollUp(now, fire, o.onError));
    if (mobile.tabReturn) stops.push(watchTabReturn(fire, o.onError));
    if (mobile.idleSeconds > 0) stops.push(watchIdle(mobile.idleSeconds, fire, o.onError));
  }
  if (o.backButton) stops.push(trapBackButton(fire, o.onError));
  return stops;
}

function isBlocked(blocked: (() => boolean) | undefined): boolean {
  return Boolean(blocked?.()) || document.querySelector("dialog[open]") !== null;
}

// Without matchMedia (old engines, jsdom) assume a mouse and no touch.
function hasFinePointer(): boolean {
  return !window.matchMedia || window.matchMedia("(any-pointer: fine)").matches;
}

function isTouch(): boolean {
  return Boolean(window.matchMedia?.("(pointer: coarse)").matches) || navigator.maxTouchPoints > 0;
}

/** Desktop: the pointer leaves the window within `sensitivity` px of the top and stays out for `graceMs`. */
export function watchPointerExit(sensitivity: number, graceMs: number, fire: Fire, onError?: OnError): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => clearTimeout(timer);
  const stops = [
    listen<MouseEvent>(document, "mouseout", (e) => {
      // No relatedTarget: the pointer left the window, not just an element. Leaving through a side is no exit.
      if (e.relatedTarget || e.clientY > sensitivity) return;
      cancel();
      timer = setTimeout(guard(() => fire("pointer"), onError), graceMs);
    }, onError),
    // Coming back within the grace delay cancels, as ouibounce's `delay` does.
    listen(document, "mouseover", cancel, onError),
  ];
  return () => {
    cancel();
    stops.forEach((s) => s());
  };
}

/** Touch: a fast scroll back up (half a screen within 300 ms) after the visitor has scrolled half the page. */
export function watchScrollUp(now: () => number, fire: Fire, onError?: OnError): () => void {
  let read = false;
  let peak = 0;
  let peakAt = 0;
  return listen(window, "scroll", () => {
    const t = now();
    const y = window.scrollY;
    const range = document.documentElement.scrollHeight - window.innerHeight;
    read ||= range > 0 && y >= range * READ_SHARE;
    // The lowest point reached lately: going down, or pausing longer than the window, starts a new run up.
    if (y >= peak || t - peakAt > SCROLL_UP_MS) [peak, peakAt] = [y, t];
    if (read && peak - y >= window.innerHeight * SCROLL_UP_SCREENS) fire("scroll-up");
  }, onError, { passive: true });
}

/** Touch: the tab was hidden (tab switcher, home screen) and is shown again. */
export function watchTabReturn(fire: Fire, onError?: OnError): () => void {
  let hidden = false;
  return listen(document, "visibilitychange", () => {
    if (document.visibilityState === "hidden") hidden = true;
    else if (hidden) {
      hidden = false;
      fire("tab-return");
    }
  }, onError);
}

/** Touch: no touch, key or scroll for `idleSeconds` while the page is visible (re-armed when it cannot fire). */
export function watchIdle(idleSeconds: number, fire: Fire, onError?: OnError): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expire = guard(() => {
    if (document.visibilityState === "hidden" || !fire("idle")) arm();
  }, onError);
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(expire, idleSeconds * 1000);
  };
  // Capture: scrolling inside a scroll container does not bubble.
  const stops = ["pointerdown", "keydown", "scroll"].map((type) => listen(window, type, arm, onError, { capture: true, passive: true }));
  arm();
  return () => {
    clearTimeout(timer);
    stops.forEach((s) => s());
  };
}

/**
 * Opt-in only (`backButton: true`): pushes one history entry (same URL, state marked) and treats the visitor going
 * back off it as exit intent; when that cannot fire, it goes back for them. Stop removes the entry again if it is
 * current. A marked entry already current (a reload) is reused; one being removed is waited for, then replaced.
 */
export function trapBackButton(fire: Fire, onError?: OnError): () => void {
  const h = history;
  let armed = false;
  let href = "";
  const mark = (value: string): unknown => ({ ...(isRecord(h.state) ? h.state : {}), [TRAP]: value });
  const trap = () => {
    href = location.href;
    if (markOf(h.state) !== "trap") h.pushState(mark("trap"), "", href);
    armed = true;
  };
  let waiting = markOf(h.state) === "undo";
  const off = listen(window, "popstate", () => {
    if (waiting) {
      waiting = false;
      trap();
    } else if (armed && markOf(h.state) === undefined && location.href === href) {
      // Same URL, unmarked: back on the entry under ours (a fragment link also pops, to another URL).
      armed = false;
      if (!fire("back")) h.back();
    }
  }, onError);
  if (!waiting) trap();
  return () => {
    off();
    if (armed && markOf(h.state) === "trap") {
      h.replaceState(mark("undo"), "");
      h.back();
    }
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function markOf(state: unknown): unknown {
  return isRecord(state) ? state[TRAP] : undefined;
}
