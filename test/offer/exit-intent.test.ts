import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchExitIntent, type ExitReason, type WatchExitIntentOptions } from "../../src/offer/exit-intent";

let stop: (() => void) | undefined;
let reasons: ExitReason[] = [];
let visibility: DocumentVisibilityState = "visible";

const watch = (options: Partial<WatchExitIntentOptions> = {}) =>
  (stop = watchExitIntent({ onExitIntent: (r) => reasons.push(r), ...options }));
const wait = (ms: number) => vi.advanceTimersByTime(ms);
const leave = (clientY: number, clientX = 500) =>
  document.documentElement.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, clientX, clientY, relatedTarget: null }));
const enter = () => document.body.dispatchEvent(new MouseEvent("mouseover", { bubbles: true, clientY: 100 }));
const setVisibility = (state: DocumentVisibilityState) => {
  visibility = state;
  document.dispatchEvent(new Event("visibilitychange"));
};
const scrollTo = (y: number) => {
  Object.defineProperty(window, "scrollY", { configurable: true, value: y });
  window.dispatchEvent(new Event("scroll"));
};

/** What matchMedia and maxTouchPoints say: a phone, a desktop, or a touch laptop. */
function device(kind: "phone" | "desktop" | "hybrid") {
  const media: Record<string, boolean> = {
    "(pointer: coarse)": kind === "phone",
    "(any-pointer: fine)": kind !== "phone",
  };
  window.matchMedia = ((query: string) => ({ matches: media[query] ?? false, media: query })) as unknown as typeof window.matchMedia;
  Object.defineProperty(navigator, "maxTouchPoints", { configurable: true, value: kind === "desktop" ? 0 : 5 });
}

beforeEach(() => {
  vi.useFakeTimers();
  reasons = [];
  visibility = "visible";
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => visibility });
  // 768 px viewport (jsdom's innerHeight) over a 4,000 px page: 3,232 px of scroll range.
  Object.defineProperty(document.documentElement, "scrollHeight", { configurable: true, value: 4000 });
  Object.defineProperty(window, "scrollY", { configurable: true, value: 0 });
  device("desktop");
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.useRealTimers();
  document.body.replaceChildren();
  delete (document as { visibilityState?: unknown }).visibilityState;
  delete (window as { matchMedia?: unknown }).matchMedia;
  delete (navigator as { maxTouchPoints?: unknown }).maxTouchPoints;
});

describe("pointer exit (desktop)", () => {
  it("fires when the pointer leaves through the top after minSecondsOnPage and graceMs", () => {
    watch();
    wait(5000);
    leave(5);
    wait(299);
    expect(reasons).toEqual([]);
    wait(1);
    expect(reasons).toEqual(["pointer"]);
  });

  it("does not fire before minSecondsOnPage (5 s by default)", () => {
    watch();
    wait(3000);
    leave(0);
    wait(1000);
    expect(reasons).toEqual([]);
  });

  it("honours minSecondsOnPage, sensitivity and graceMs", () => {
    watch({ minSecondsOnPage: 1, sensitivity: 50, graceMs: 1000 });
    wait(1000);
    leave(40);
    wait(999);
    expect(reasons).toEqual([]);
    wait(1);
    expect(reasons).toEqual(["pointer"]);
  });

  it("ignores leaving through a side, or below sensitivity", () => {
    watch();
    wait(6000);
    leave(400, -1);
    leave(21);
    wait(1000);
    expect(reasons).toEqual([]);
  });

  it("ignores moving between elements (the pointer is still in the window)", () => {
    watch();
    wait(6000);
    document.body.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, clientY: 5, relatedTarget: document.documentElement }));
    wait(1000);
    expect(reasons).toEqual([]);
  });

  it("is cancelled when the pointer comes back within graceMs", () => {
    watch();
    wait(6000);
    leave(5);
    wait(100);
    enter();
    wait(1000);
    expect(reasons).toEqual([]);
  });

  it("fires at most once per watch", () => {
    watch();
    wait(6000);
    leave(5);
    wait(300);
    leave(5);
    wait(300);
    expect(reasons).toEqual(["pointer"]);
  });

  it("is not watched on a phone (no fine pointer)", () => {
    device("phone");
    watch();
    wait(6000);
    leave(5);
    wait(1000);
    expect(reasons).toEqual([]);
  });
});

describe("blocking", () => {
  it("does not fire while isBlocked() is true, and fires later once it is not", () => {
    let blocked = true;
    watch({ isBlocked: () => blocked });
    wait(6000);
    leave(5);
    wait(300);
    expect(reasons).toEqual([]);
    blocked = false;
    leave(5);
    wait(300);
    expect(reasons).toEqual(["pointer"]);
  });

  it("does not fire while any <dialog> is open", () => {
    const dialog = document.body.appendChild(document.createElement("dialog"));
    dialog.setAttribute("open", "");
    watch();
    wait(6000);
    leave(5);
    wait(300);
    expect(reasons).toEqual([]);
  });
});

describe("touch signals", () => {
  beforeEach(() => device("phone"));

  it("fires on a fast scroll up after reading half the page", () => {
    watch();
    for (let y = 0; y <= 2000; y += 250) {
      wait(700);
      scrollTo(y);
    }
    wait(100);
    scrollTo(1800);
    expect(reasons).toEqual([]);
    wait(100);
    scrollTo(1500);
    expect(reasons).toEqual(["scroll-up"]);
  });

  it("does not fire on a slow scroll up", () => {
    watch();
    for (let y = 0; y <= 2000; y += 250) {
      wait(700);
      scrollTo(y);
    }
    for (let y = 2000; y >= 0; y -= 100) {
      wait(400);
      scrollTo(y);
    }
    expect(reasons).toEqual([]);
  });

  it("does not fire on a fast scroll up before half the page was read", () => {
    watch();
    wait(6000);
    scrollTo(1500);
    wait(100);
    scrollTo(500);
    expect(reasons).toEqual([]);
  });

  it("does not fire before minSecondsOnPage", () => {
    watch();
    scrollTo(2000);
    wait(100);
    scrollTo(1000);
    expect(reasons).toEqual([]);
  });

  it("fires when the tab is hidden and shown again", () => {
    watch();
    wait(6000);
    setVisibility("hidden");
    expect(reasons).toEqual([]);
    setVisibility("visible");
    expect(reasons).toEqual(["tab-return"]);
  });

  it("fires after idleSeconds without activity; activity restarts the count", () => {
    watch({ mobile: { idleSeconds: 10 } });
    wait(8000);
    window.dispatchEvent(new Event("pointerdown"));
    wait(9999);
    expect(reasons).toEqual([]);
    wait(1);
    expect(reasons).toEqual(["idle"]);
  });

  it("has idle off by default (idleSeconds 0)", () => {
    watch();
    wait(600_000);
    expect(reasons).toEqual([]);
  });

  it("switches each signal off on its own", () => {
    watch({ mobile: { scrollUp: false, tabReturn: false } });
    wait(6000);
    scrollTo(2000);
    wait(100);
    scrollTo(1000);
    setVisibility("hidden");
    setVisibility("visible");
    expect(reasons).toEqual([]);
  });

  it("switches all off with mobile: false", () => {
    watch({ mobile: false });
    wait(6000);
    scrollTo(2000);
    wait(100);
    scrollTo(1000);
    setVisibility("hidden");
    setVisibility("visible");
    wait(600_000);
    expect(reasons).toEqual([]);
  });

  it("is not watched on a desktop without touch", () => {
    device("desktop");
    watch();
    wait(6000);
    setVisibility("hidden");
    setVisibility("visible");
    expect(reasons).toEqual([]);
  });

  it("runs both sets on a hybrid device", () => {
    device("hybrid");
    watch();
    wait(6000);
    setVisibility("hidden");
    setVisibility("visible");
    expect(reasons).toEqual(["tab-return"]);
    watch();
    wait(6000);
    leave(5);
    wait(300);
    expect(reasons).toEqual(["tab-return", "pointer"]);
  });
});

describe("back button", () => {
  const marked = () => (history.state as Record<string, unknown> | null)?.["segmintExit"];

  it("touches no history unless backButton is true", () => {
    const length = history.length;
    watch();
    expect(history.length).toBe(length);
  });

  it("pushes one marked entry, treats going back off it as exit intent, and undoes nothing after", () => {
    const length = history.length;
    const back = vi.spyOn(history, "back").mockImplementation(() => {});
    watch({ backButton: true });
    expect(history.length).toBe(length + 1);
    expect(marked()).toBe("trap");
    wait(6000);
    history.replaceState(null, ""); // as if back on the entry below ours
    window.dispatchEvent(new PopStateEvent("popstate", { state: null }));
    expect(reasons).toEqual(["back"]);
    stop?.();
    expect(back).not.toHaveBeenCalled();
    back.mockRestore();
  });

  it("goes back for the visitor when it cannot fire yet", () => {
    const back = vi.spyOn(history, "back").mockImplementation(() => {});
    watch({ backButton: true });
    wait(1000);
    history.replaceState(null, "");
    window.dispatchEvent(new PopStateEvent("popstate", { state: null }));
    expect(reasons).toEqual([]);
    expect(back).toHaveBeenCalledOnce();
    back.mockRestore();
  });

  it("removes its entry on stop while it is current, and a re-arm waits for that", () => {
    const back = vi.spyOn(history, "back").mockImplementation(() => {});
    const length = history.length;
    watch({ backButton: true });
    stop?.();
    expect(back).toHaveBeenCalledOnce();
    expect(marked()).toBe("undo");
    watch({ backButton: true });
    expect(history.length).toBe(length + 1); // nothing pushed while the undo is pending
    history.replaceState(null, ""); // the undo lands on the entry below
    window.dispatchEvent(new PopStateEvent("popstate", { state: null }));
    expect(reasons).toEqual([]);
    expect(marked()).toBe("trap");
    back.mockRestore();
  });

  it("reuses a marked entry that is already current (a reload)", () => {
    const back = vi.spyOn(history, "back").mockImplementation(() => {});
    history.replaceState({ segmintExit: "trap", app: 1 }, "");
    const length = history.length;
    watch({ backButton: true });
    expect(history.length).toBe(length);
    back.mockRestore();
  });
});

describe("stop and guards", () => {
  it("stop removes every listener and timer it added", () => {
    device("hybrid");
    const added: string[] = [];
    const removed: string[] = [];
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      vi.spyOn(target, "addEventListener").mockImplementation((type, fn, opts) => (added.push(type), add(type, fn, opts)));
      vi.spyOn(target, "removeEventListener").mockImplementation((type, fn, opts) => (removed.push(type), remove(type, fn, opts)));
    }
    watch({ mobile: { idleSeconds: 30 } });
    leave(5);
    stop?.();
    vi.restoreAllMocks();
    expect(added.length).toBeGreaterThan(4);
    expect(removed.sort()).toEqual(added.sort());
    expect(vi.getTimerCount()).toBe(0);
    wait(60_000);
    leave(5);
    wait(1000);
    expect(reasons).toEqual([]);
  });

  it("reports a throwing callback to onError instead of the page", () => {
    const onError = vi.fn();
    watch({ onExitIntent: () => { throw new Error("boom"); }, onError });
    wait(6000);
    leave(5);
    expect(() => wait(300)).not.toThrow();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "boom" }));
  });

  it("uses the clock it is given", () => {
    let t = 0;
    watch({ now: () => t });
    wait(10_000);
    leave(5);
    wait(300);
    expect(reasons).toEqual([]);
    t = 5000;
    leave(5);
    wait(300);
    expect(reasons).toEqual(["pointer"]);
  });
});
