// Active dwell time: seconds the page was visible while the visitor was active within the last idleMs.
// Counted lazily from timestamps (no per-second tick); a timer only drives the write-ahead checkpoints.
import { guard, listen, type OnError } from "./listen";

export interface DwellOptions {
  /** The clock in epoch ms (the SDK passes its `now`, Date.now by default). */
  now: () => number;
  /** Time without activity after which counting pauses until the next activity; default 30 000. */
  idleMs?: number;
  /** How often onCheckpoint is offered the running total; default 5 000. */
  checkpointMs?: number;
  /** The whole seconds since the last take(), each checkpoint at which they have changed (a write-ahead record). */
  onCheckpoint(seconds: number): void;
  onError?: OnError;
}

export interface Dwell {
  /** Whole active seconds since the last take(); the fraction carries over, so no time is lost between takes. */
  take(): number;
  /** Removes every listener and the timer; take() still returns what was counted until then. */
  stop(): void;
}

/** Starts counting active, visible time now (arriving on the page counts as activity). */
export function startDwell({ now, idleMs = 30_000, checkpointMs = 5000, onCheckpoint, onError }: DwellOptions): Dwell {
  const visible = () => document.visibilityState == "visible";
  let banked = 0; // ms counted and not yet taken
  let active = 0; // the last activity
  let last = 0; // when banked was last brought up to date
  let counting = false; // visible since the last activity (which ends idleMs after it)
  let reported = 0;

  // Banks the time since `last` up to t; past active + idleMs the visitor is idle and nothing more counts.
  const settle = (t: number) => {
    if (counting) banked += Math.max(0, Math.min(t, active + idleMs) - last);
    last = t;
  };
  const seconds = () => (settle(now()), Math.floor(banked / 1000));
  // Activity, or the tab shown or hidden: hidden time never counts, coming back to the tab is activity.
  const onEvent = () => {
    const t = now();
    // pointermove and scroll fire at frame rate: a second's precision is plenty for a 30 s idle rule.
    if (counting && visible() && t - active < 1000) return;
    settle(t);
    counting = visible();
    if (counting) active = t;
  };
  onEvent();

  const timer = setInterval(
    guard(() => {
      const s = seconds();
      if (s != reported) onCheckpoint((reported = s));
    }, onError),
    checkpointMs,
  );
  // Capture on window: scroll does not bubble, and inner scroll containers are where long pages often scroll;
  // visibilitychange, fired at the document, passes through window on its way too.
  const unlisten = listen(window, "visibilitychange pointermove pointerdown keydown scroll touchstart wheel", onEvent, onError, {
    capture: true,
    passive: true,
  });
  return {
    take() {
      const s = seconds();
      banked -= s * 1000;
      reported = 0;
      return s;
    },
    stop() {
      settle(now());
      counting = false;
      clearInterval(timer);
      unlisten();
    },
  };
}
