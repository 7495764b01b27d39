// The panel re-renders at most once a frame, however many events arrive in between.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { frameScheduler } from "../../src/debug/frame";

beforeEach(() => vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame", "setTimeout", "clearTimeout"] }));
afterEach(() => vi.useRealTimers());

describe("frameScheduler", () => {
  it("runs once at the next frame for a burst of calls, and again for a later one", () => {
    const run = vi.fn();
    const frame = frameScheduler(run);
    for (let i = 0; i < 50; i++) frame.schedule();
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersToNextFrame();
    expect(run).toHaveBeenCalledTimes(1);
    frame.schedule();
    vi.advanceTimersToNextFrame();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it("runs nothing after cancel()", () => {
    const run = vi.fn();
    const frame = frameScheduler(run);
    frame.schedule();
    frame.cancel();
    vi.advanceTimersByTime(100);
    expect(run).not.toHaveBeenCalled();
  });
});
