// Exit-intent detection (DESIGN §2 `trigger.exitIntent`). It only calls back; showing the offer is dialog.ts's job.
// Desktop signal: the pointer leaving through the top edge (as ouibounce). Touch signals, which desktop-only peers
// lack: a fast scroll back up after reading, returning from the tab switcher, and inactivity. A hybrid device
// (a touch laptop, an iPad with a trackpad) gets both sets. Address-bar shortcuts never reach the page.
import type { ExitIntentOptions } from "../rules/types";
import { guard, listen, type OnError } from "./guard";

/** Which signal detected exit intent. */
export type ExitReason = "pointer" | "scroll-up" | "tab-return" | "idle" | "back";

/** The rules' `exitIntent` options plus what the SDK supplies. */
export interface WatchExitIntentOptions extends ExitIntentOptions {
  /** Clock in ms; default `Date.now`. `minSecondsOnPage` counts from the call. */
  now?: (() => number) | undefined;
  /** True while exit intent must not fire (another offer showing); an open `<dialog>` always blocks. */
  isBlocked?: (() => boolean) | undefined;
  onExitIntent(reason: ExitReason): void;
  onError?: OnError | undefined;
}

// Reports exit intent; false when it was too early, blocked, or already reported.
type Fire = (reason: ExitReason) => boolean;
// Adds a guarded listener that the watcher's stop removes.
type On = <E extends Event>(target: EventTarget, type: string, fn: (event: E) => void, options?: AddEventListenerOptions) => void;
// One guarded timeout at a time: `set(ms)` (re)starts it, `set()` cancels it; the watcher's stop cancels it too.
type Timer = (ms?: number) => void;

const TRAP = "segmintExit";
const media = (query: string) => window.matchMedia?.(query).matches;
const isHidden = () => document.visibilityState === "hidden";

/** Watches for exit intent; calls `onExitIntent` at most once, then stops itself. Returns the stop. */
export function watchExitIntent(options: WatchExitIntentOptions): () => void {
  const { now = Date.now, sensitivity = 20, minSecondsOnPage = 5, graceMs = 300, mobile = {}, backButton = false, onError } = options;
  const start = now();
  const stops: Array<() => void> = [];
  let done = false;
  const stop = guard(() => {
    done = true;
    stops.splice(0).forEach((s) => s());
  }, onError);
  const fire: Fire = (reason) => {
    if (done || now() - start < minSecondsOnPage * 1000 || options.isBlocked?.() || document.querySelector("dialog[open]")) return false;
    stop();
    options.onExitIntent(reason); // called from a guarded handler or timer, which reports a throw
    return true;
  };
  const on: On = (target, type, fn, listenerOptions) => {
    stops.push(listen(target, type, fn, onError, listenerOptions));
  };
  const timer = (fn: () => void): Timer => {
    let id: ReturnType<typeof setTimeout> | undefined;
    const set: Timer = (ms) => {
      clearTimeout(id);
      if (ms !== undefined) id = setTimeout(guard(fn, onError), ms);
    };
    stops.push(set);
    return set;
  };
  guard(() => {
    // Without matchMedia (old engines, jsdom) assume a mouse and no touch.
    if (media("(any-pointer: fine)") ?? true) watchPointer(on, timer(() => fire("pointer")), sensitivity, graceMs);
    if (mobile && (media("(pointer: coarse)") || navigator.maxTouchPoints > 0)) {
      const { scrollUp = true, tabReturn = true, idleSeconds = 0 } = mobile;
      if (scrollUp) watchScrollUp(on, now, fire);
      if (tabReturn) watchTabReturn(on, fire);
      if (idleSeconds > 0) watchIdle(on, timer, idleSeconds * 1000, fire);
    }
    if (backButton) stops.push(trapBackButton(on, fire));
  }, onError)();
  return stop;
}

// Desktop: the pointer leaves the window within `sensitivity` px of the top and stays out for `graceMs`;
// coming back within the grace delay cancels, as ouibounce's `delay` does.
function watchPointer(on: On, grace: Timer, sensitivity: number, graceMs: number): void {
  on<MouseEvent>(document, "mouseout", (e) => {
    // No relatedTarget: the pointer left the window, not just an element. Leaving through a side is no exit.
    if (!e.relatedTarget && e.clientY <= sensitivity) grace(graceMs);
  });
  on(document, "mouseover", () => grace());
}

// Touch: a flick back up, not reading back: half a screen within 300 ms, once the visitor has scrolled half the page.
function watchScrollUp(on: On, now: () => number, fire: Fire): void {
  let read = false;
  let peak = 0;
  let peakAt = 0;
  on(window, "scroll", () => {
    const t = now();
    const y = window.scrollY;
    const screen = window.innerHeight;
    const range = document.documentElement.scrollHeight - screen;
    read ||= range > 0 && y >= range / 2;
    // The lowest point reached lately: going down, or pausing longer than the window, starts a new run up.
    if (y >= peak || t - peakAt > 300) [peak, peakAt] = [y, t];
    if (read && peak - y >= screen / 2) fire("scroll-up");
  }, { passive: true });
}

// Touch: the tab was hidden (tab switcher, home screen) and is shown again.
function watchTabReturn(on: On, fire: Fire): void {
  let hidden = false;
  on(document, "visibilitychange", () => {
    const was = hidden;
    hidden = isHidden();
    if (was && !hidden) fire("tab-return");
  });
}

// Touch: no touch, key or scroll for `ms` while the page is visible (re-armed when it cannot fire).
function watchIdle(on: On, timer: (fn: () => void) => Timer, ms: number, fire: Fire): void {
  const idle = timer(() => {
    if (isHidden() || !fire("idle")) idle(ms);
  });
  // Capture: scrolling inside a scroll container does not bubble.
  for (const type of ["pointerdown", "keydown", "scroll"]) on(window, type, () => idle(ms), { capture: true, passive: true });
  idle(ms);
}

/**
 * Opt-in only (`backButton: true`): pushes one history entry (same URL, state marked) and treats the visitor going
 * back off it as exit intent; when that cannot fire, it goes back for them. The returned undo removes the entry
 * again if it is current. A marked entry already current (a reload) is reused; one being removed is waited for,
 * then replaced.
 */
function trapBackButton(on: On, fire: Fire): () => void {
  const h = history;
  const marked = (): unknown => h.state?.[TRAP];
  // The page's own state is kept beside the mark, unless it is not a plain object.
  const mark = (value: string) => ({ ...(typeof h.state === "object" && !Array.isArray(h.state) && h.state), [TRAP]: value });
  let armed = false;
  let href = "";
  let waiting = marked() === "undo";
  const trap = () => {
    href = location.href;
    if (marked() !== "trap") h.pushState(mark("trap"), "", href);
    armed = true;
  };
  on(window, "popstate", () => {
    if (waiting) {
      waiting = false;
      trap();
    } else if (armed && marked() === undefined && location.href === href) {
      // Same URL, unmarked: back on the entry under ours (a fragment link also pops, to another URL).
      armed = false;
      if (!fire("back")) h.back();
    }
  });
  if (!waiting) trap();
  return () => {
    if (armed && marked() === "trap") {
      h.replaceState(mark("undo"), "");
      h.back();
    }
  };
}
