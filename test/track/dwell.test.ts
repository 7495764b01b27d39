import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startDwell, type Dwell } from "../../src/track/dwell";

let visibility: DocumentVisibilityState = "visible";
let dwell: Dwell | undefined;

const start = (extra: { onCheckpoint?: (s: number) => void; onError?: (e: unknown) => void } = {}) =>
  (dwell = startDwell({ now: Date.now, onCheckpoint: () => {}, ...extra }));
const seconds = (s: number) => vi.advanceTimersByTime(s * 1000);
const move = () => window.dispatchEvent(new Event("pointermove"));
const setVisibility = (state: DocumentVisibilityState) => {
  visibility = state;
  document.dispatchEvent(new Event("visibilitychange"));
};

beforeEach(() => {
  vi.useFakeTimers();
  visibility = "visible";
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => visibility });
});
afterEach(() => {
  dwell?.stop();
  vi.useRealTimers();
  delete (document as { visibilityState?: unknown }).visibilityState;
});

describe("startDwell", () => {
  it("counts visible time while the visitor is active", () => {
    const { take } = start();
    for (let i = 0; i < 6; i++) {
      seconds(10);
      move();
    }
    expect(take()).toBe(60);
  });

  it("stops counting 30 s after the last activity, until the next one", () => {
    const { take } = start();
    seconds(100);
    expect(take()).toBe(30);
    move();
    seconds(12);
    expect(take()).toBe(12);
  });

  it("honours idleMs", () => {
    dwell = startDwell({ now: Date.now, idleMs: 5000, onCheckpoint: () => {} });
    seconds(20);
    expect(dwell.take()).toBe(5);
  });

  it("counts activity anywhere: keys, wheel, and scrolling inside a scroll container", () => {
    const box = document.body.appendChild(document.createElement("div"));
    const { take } = start();
    seconds(25);
    box.dispatchEvent(new Event("scroll")); // does not bubble: seen only in the capture phase
    seconds(25);
    document.body.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true }));
    seconds(25);
    window.dispatchEvent(new Event("wheel"));
    seconds(10);
    expect(take()).toBe(85);
    box.remove();
  });

  it("does not count hidden time, and resumes when the tab comes back", () => {
    const { take } = start();
    seconds(10);
    setVisibility("hidden");
    seconds(120);
    expect(take()).toBe(10);
    setVisibility("visible");
    seconds(7);
    expect(take()).toBe(7);
  });

  it("does not count a page opened in a background tab until it is shown", () => {
    visibility = "hidden";
    const { take } = start();
    seconds(60);
    expect(take()).toBe(0);
    setVisibility("visible");
    seconds(3);
    expect(take()).toBe(3);
  });

  it("take() returns the seconds since the last take and resets", () => {
    const { take } = start();
    seconds(10);
    expect(take()).toBe(10);
    expect(take()).toBe(0);
    seconds(5);
    expect(take()).toBe(5);
  });

  it("carries the fraction of a second over to the next take", () => {
    const { take } = start();
    vi.advanceTimersByTime(1500);
    expect(take()).toBe(1);
    vi.advanceTimersByTime(600);
    expect(take()).toBe(1);
  });

  it("checkpoints the running total every 5 s, only when it changed", () => {
    const onCheckpoint = vi.fn();
    const { take } = start({ onCheckpoint });
    seconds(10);
    expect(onCheckpoint.mock.calls).toEqual([[5], [10]]);
    setVisibility("hidden");
    seconds(30);
    expect(onCheckpoint).toHaveBeenCalledTimes(2);
    setVisibility("visible");
    take();
    seconds(5);
    expect(onCheckpoint).toHaveBeenLastCalledWith(5);
  });

  it("reports a throwing checkpoint handler and keeps going", () => {
    const onError = vi.fn();
    const { take } = start({ onCheckpoint: () => { throw new Error("quota"); }, onError });
    seconds(10);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(take()).toBe(10);
  });

  it("stop() removes the timer and listeners but keeps what was counted", () => {
    const onCheckpoint = vi.fn();
    const d = start({ onCheckpoint });
    seconds(4);
    d.stop();
    expect(vi.getTimerCount()).toBe(0);
    seconds(60);
    move();
    setVisibility("visible");
    seconds(10);
    expect(onCheckpoint).not.toHaveBeenCalled();
    expect(d.take()).toBe(4);
  });
});
