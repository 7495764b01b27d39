// Re-rendering at most once a frame, however many events arrive in between.

/** What `frameScheduler` returns. */
export interface FrameScheduler {
  /** Runs `run` at the next frame, once, however often it is called before then. */
  schedule(): void;
  cancel(): void;
}

/** Schedules `run` for the next frame (a 16 ms timer where there is no requestAnimationFrame). */
export function frameScheduler(run: () => void): FrameScheduler {
  let pending: (() => void) | undefined;
  return {
    schedule() {
      if (pending) return;
      const done = () => ((pending = undefined), run());
      if (typeof requestAnimationFrame === "function") {
        const id = requestAnimationFrame(done);
        pending = () => cancelAnimationFrame(id);
      } else {
        const id = setTimeout(done, 16);
        pending = () => clearTimeout(id);
      }
    },
    cancel() {
      pending?.();
      pending = undefined;
    },
  };
}
