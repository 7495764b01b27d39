// Page-view signals beyond the first load: SPA navigations, back/forward-cache restores and prerender activation.
import { guard, listen, type OnError } from "./listen";

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
export function watchNavigation({ hashRoutes, onNavigate, onError }: NavigationOptions): () => void {
  // The page's identity: its URL without the hash, or with it for hash routers, where "/#/" is "/" (they redirect
  // "/" there). Its route, the identity without query strings, is what a replace may keep.
  const pageOf = () => (hashRoutes ? location.href.replace(/#\/?$/, "") : location.href.split("#")[0]!);
  const route = (page: string) => page.replace(/\?[^#]*/g, "");
  let last = pageOf();
  const check = guard((replace?: boolean) => {
    const next = pageOf();
    if (next != last && (!replace || route(next) != route(last))) onNavigate(location.href);
    last = next;
  }, onError);

  // The Navigation API sees every same-document navigation (history calls, traversals, fragments), after an
  // intercepting router has rendered; patching history as well would count each one twice.
  const navigation = (globalThis as { navigation?: EventTarget }).navigation;
  let kind: string | undefined;
  if (navigation) {
    return listen(navigation, "navigate navigatesuccess", (e) =>
      e.type == "navigate" ? (kind = (e as NavigateEvent).navigationType) : check(kind == "replace"), onError);
  }
  // popstate covers traversals and, in every supported browser, fragment navigations (a new hash route too).
  const stops = [listen(window, "popstate", () => check(), onError)];
  for (const name of ["pushState", "replaceState"] as const) {
    const original = history[name];
    const ours = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      if (stops[0]) check(name == "replaceState"); // stop() empties stops: quiet from then on
    };
    history[name] = ours;
    stops.push(() => {
      // Another library may have wrapped ours since; putting the original back would remove its wrapper too.
      if (history[name] === ours) history[name] = original;
    });
  }
  return () => stops.splice(0).forEach((stop) => stop());
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
export const watchBackForward = (onRestore: () => void, onError?: OnError): (() => void) =>
  listen(window, "pageshow", (e) => (e as PageTransitionEvent).persisted && onRestore(), onError);
