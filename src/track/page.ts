// Page-view signals beyond the first load: SPA navigations, back/forward-cache restores and prerender activation.
import { guard, listen, stopAll, type OnError } from "./listen";

export interface NavigationOptions {
  /** Hash routers (`/#/pricing`): a new hash is a new page. Otherwise the hash never makes one. */
  hashRoutes: boolean;
  /** Called with the new absolute URL, once per new page. */
  onNavigate(url: string): void;
  onError?: OnError;
}

/**
 * Reports same-document navigations to a new page; returns stop. A page is its URL without the hash (with it
 * when hashRoutes). A replace that keeps the path (and hash route) is the same page: that is how sites strip
 * utm_* and click ids after reading them, and how SPAs mirror filters into the query. A push is a new page
 * whenever the URL changes, query included (search results, pagination).
 */
export function watchNavigation(options: NavigationOptions): () => void {
  let [current, route] = pageOf(location.href, options.hashRoutes);
  const check = guard((kind?: string) => {
    const url = location.href;
    const [key, path] = pageOf(url, options.hashRoutes);
    if (key === current) return;
    const same = kind === "replace" && path === route;
    current = key;
    route = path;
    if (!same) options.onNavigate(url);
  }, options.onError);

  // The Navigation API sees every same-document navigation (history calls, traversals, fragments), after an
  // intercepting router has rendered; patching history as well would count each one twice.
  const navigation = (globalThis as { navigation?: EventTarget }).navigation;
  if (navigation) {
    let kind: string | undefined;
    return stopAll([
      listen(navigation, "navigate", (e) => (kind = (e as NavigateEvent).navigationType), options.onError),
      listen(navigation, "navigatesuccess", () => check(kind), options.onError),
    ]);
  }
  const stops = [
    patch("pushState", () => check("push")),
    patch("replaceState", () => check("replace")),
    listen(window, "popstate", () => check(), options.onError),
  ];
  // popstate also fires on fragment navigations nowadays; hashchange covers the browsers where it did not.
  if (options.hashRoutes) stops.push(listen(window, "hashchange", () => check(), options.onError));
  return stopAll(stops);
}

/** Calls onReady now, or when a prerendered page is activated (it is not a page view before); returns stop. */
export function whenPageVisible(onReady: () => void, onError?: OnError): () => void {
  const ready = guard(onReady, onError);
  if (!(document as { prerendering?: boolean }).prerendering) {
    ready();
    return () => {};
  }
  const stop = listen(document, "prerenderingchange", () => (stop(), ready()), onError);
  return stop;
}

/** Calls onRestore when the page comes back from the back/forward cache (a new page view); returns stop. */
export function watchBackForward(onRestore: () => void, onError?: OnError): () => void {
  return listen(window, "pageshow", (e) => (e as PageTransitionEvent).persisted && onRestore(), onError);
}

/** [the page's identity, its route (path, plus the hash path for hash routers) that a replace may keep]. */
function pageOf(url: string, hashRoutes: boolean): [string, string] {
  const [main = "", ...rest] = url.split("#");
  const path = main.split("?")[0] ?? "";
  if (!hashRoutes) return [main, path];
  // Hash routers redirect "/" to "/#/": the same page.
  const hash = rest.join("#").replace(/^\/$/, "");
  return [main + "#" + hash, path + "#" + hash.split("?")[0]];
}

/** Wraps history[name] to call after() once it has run; the returned undo restores it. */
function patch(name: "pushState" | "replaceState", after: () => void): () => void {
  const original = history[name];
  let on = true;
  const ours = function (this: History, ...args: Parameters<History["pushState"]>) {
    original.apply(this, args);
    if (on) after();
  };
  history[name] = ours;
  return () => {
    on = false;
    // Another library may have wrapped ours since; putting the original back would remove its wrapper too.
    if (history[name] === ours) history[name] = original;
  };
}
