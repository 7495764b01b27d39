import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchBackForward, watchNavigation, whenPageVisible } from "../../src/track/page";

const ORIGIN = "http://localhost:3000";
const stops: Array<() => void> = [];
const watch = (hashRoutes = false, onError?: (err: unknown) => void) => {
  const onNavigate = vi.fn<(url: string) => void>();
  stops.push(watchNavigation(onError ? { hashRoutes, onNavigate, onError } : { hashRoutes, onNavigate }));
  return onNavigate;
};
const nextEvent = (target: EventTarget, type: string) =>
  new Promise<void>((resolve) => target.addEventListener(type, () => resolve(), { once: true }));

beforeEach(() => history.replaceState(null, "", "/start"));
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  vi.unstubAllGlobals();
});

describe("watchNavigation with the History API", () => {
  it("reports a pushState to a new path once, with the absolute URL", () => {
    const onNavigate = watch();
    history.pushState(null, "", "/pricing");
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/pricing`]]);
  });

  it("ignores a pushState to the current URL", () => {
    const onNavigate = watch();
    history.pushState(null, "", "/start");
    history.pushState({ scroll: 1 }, "");
    expect(onNavigate).not.toHaveBeenCalled();
  });

  it("counts a pushState that changes only the query (search, pagination)", () => {
    const onNavigate = watch();
    history.pushState(null, "", "/start?page=2");
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/start?page=2`]]);
  });

  it("treats a replaceState that keeps the path as the same page (utm cleanup)", () => {
    history.replaceState(null, "", "/landing?utm_source=news&utm_campaign=spring");
    const onNavigate = watch();
    history.replaceState(null, "", "/landing");
    history.pushState(null, "", "/landing");
    expect(onNavigate).not.toHaveBeenCalled();
  });

  it("counts a replaceState to another path (router redirects)", () => {
    const onNavigate = watch();
    history.replaceState(null, "", "/dashboard");
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/dashboard`]]);
  });

  it("ignores hash changes unless hashRoutes", () => {
    const onNavigate = watch();
    history.pushState(null, "", "/start#section-2");
    expect(onNavigate).not.toHaveBeenCalled();
  });

  it("counts hash routes as pages when hashRoutes, and `/#/` as `/`", () => {
    history.replaceState(null, "", "/");
    const onNavigate = watch(true);
    history.replaceState(null, "", "/#/");
    history.pushState(null, "", "/#/pricing");
    history.replaceState(null, "", "/#/pricing?utm_source=x");
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/#/pricing`]]);
  });

  it("reports a fragment navigation to a new hash route when hashRoutes (popstate)", async () => {
    const onNavigate = watch(true);
    const popstate = nextEvent(window, "popstate");
    location.hash = "#/docs";
    await popstate;
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/start#/docs`]]);
  });

  it("reports going back with popstate", async () => {
    history.pushState(null, "", "/a");
    const onNavigate = watch();
    history.pushState(null, "", "/b");
    history.back();
    await nextEvent(window, "popstate");
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/b`], [`${ORIGIN}/a`]]);
  });

  it("restores history methods on stop and reports nothing more", () => {
    const { pushState, replaceState } = history;
    const onNavigate = vi.fn();
    const stop = watchNavigation({ hashRoutes: false, onNavigate });
    expect(history.pushState).not.toBe(pushState);
    stop();
    expect(history.pushState).toBe(pushState);
    expect(history.replaceState).toBe(replaceState);
    history.pushState(null, "", "/after-stop");
    window.dispatchEvent(new PopStateEvent("popstate"));
    expect(onNavigate).not.toHaveBeenCalled();
  });

  it("leaves a wrapper installed after ours in place on stop, and goes quiet", () => {
    const original = history.pushState;
    const onNavigate = vi.fn();
    const stop = watchNavigation({ hashRoutes: false, onNavigate });
    const ours = history.pushState;
    const theirs = vi.fn(function (this: History, ...args: Parameters<History["pushState"]>) {
      ours.apply(this, args);
    });
    history.pushState = theirs;
    stop();
    expect(history.pushState).toBe(theirs);
    history.pushState(null, "", "/still-works");
    expect(location.pathname).toBe("/still-works");
    expect(onNavigate).not.toHaveBeenCalled();
    history.pushState = original;
  });

  it("keeps the page's history call working when the callback throws", () => {
    const onError = vi.fn();
    const stop = watchNavigation({ hashRoutes: false, onNavigate: () => { throw new Error("boom"); }, onError });
    stops.push(stop);
    expect(() => history.pushState(null, "", "/x")).not.toThrow();
    expect(location.pathname).toBe("/x");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "boom" }));
  });

  it("lets the page's own history errors through untouched", () => {
    watch();
    expect(() => history.pushState(null, "", "https://elsewhere.example/")).toThrow();
  });
});

describe("watchNavigation with the Navigation API", () => {
  const navigate = (navigation: EventTarget, url: string, navigationType: string) => {
    navigation.dispatchEvent(Object.assign(new Event("navigate"), { navigationType }));
    history.replaceState(null, "", url); // stands in for the browser committing the URL
    navigation.dispatchEvent(new Event("navigatesuccess"));
  };

  it("listens to navigatesuccess instead of patching history", () => {
    const navigation = new EventTarget();
    vi.stubGlobal("navigation", navigation);
    const { pushState } = history;
    const onNavigate = watch();
    expect(history.pushState).toBe(pushState);
    navigate(navigation, "/features", "push");
    navigate(navigation, "/features", "push");
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/features`]]);
  });

  it("applies the same replace rule", () => {
    const navigation = new EventTarget();
    vi.stubGlobal("navigation", navigation);
    const onNavigate = watch();
    navigate(navigation, "/start?utm_source=x", "replace");
    navigate(navigation, "/other", "replace");
    expect(onNavigate.mock.calls).toEqual([[`${ORIGIN}/other`]]);
  });

  it("removes its listeners on stop", () => {
    const navigation = new EventTarget();
    vi.stubGlobal("navigation", navigation);
    const onNavigate = vi.fn();
    watchNavigation({ hashRoutes: false, onNavigate })();
    navigate(navigation, "/gone", "push");
    expect(onNavigate).not.toHaveBeenCalled();
  });
});

describe("whenPageVisible", () => {
  afterEach(() => {
    delete (document as { prerendering?: boolean }).prerendering;
  });

  it("is ready at once on a normal load", () => {
    const onReady = vi.fn();
    whenPageVisible(onReady);
    expect(onReady).toHaveBeenCalledOnce();
  });

  it("waits for a prerendered page to be activated", () => {
    Object.defineProperty(document, "prerendering", { value: true, configurable: true });
    const onReady = vi.fn();
    whenPageVisible(onReady);
    expect(onReady).not.toHaveBeenCalled();
    document.dispatchEvent(new Event("prerenderingchange"));
    document.dispatchEvent(new Event("prerenderingchange"));
    expect(onReady).toHaveBeenCalledOnce();
  });

  it("never fires once stopped", () => {
    Object.defineProperty(document, "prerendering", { value: true, configurable: true });
    const onReady = vi.fn();
    whenPageVisible(onReady)();
    document.dispatchEvent(new Event("prerenderingchange"));
    expect(onReady).not.toHaveBeenCalled();
  });
});

describe("watchBackForward", () => {
  const pageshow = (persisted: boolean) =>
    window.dispatchEvent(Object.assign(new Event("pageshow"), { persisted }));

  it("reports a restore from the back/forward cache, not a normal show", () => {
    const onRestore = vi.fn();
    stops.push(watchBackForward(onRestore));
    pageshow(false);
    pageshow(true);
    expect(onRestore).toHaveBeenCalledOnce();
  });

  it("reports errors instead of throwing, and stops", () => {
    const onError = vi.fn();
    const stop = watchBackForward(() => { throw new Error("x"); }, onError);
    pageshow(true);
    stop();
    pageshow(true);
    expect(onError).toHaveBeenCalledOnce();
  });
});
