// Every offer handler goes through here, so that a bug in segmint never throws into the host page.
// (A copy of track/listen's two helpers: offer/ may import only rules/, which must stay DOM-free.)

/** Receives what a handler threw instead of letting it reach the page. */
export type OnError = (err: unknown) => void;

/** Wraps fn so that an exception goes to onError (itself guarded) and fn returns undefined instead. */
export function guard<A extends unknown[], R>(fn: (...args: A) => R, onError?: OnError): (...args: A) => R | undefined {
  return (...args) => {
    try {
      return fn(...args);
    } catch (err) {
      try {
        onError?.(err);
      } catch {
        // A failing reporter must not reach the page either.
      }
      return undefined;
    }
  };
}

/** Adds a guarded listener and returns the function that removes it. */
export function listen<E extends Event = Event>(
  target: EventTarget,
  type: string,
  fn: (event: E) => void,
  onError?: OnError,
  options?: AddEventListenerOptions,
): () => void {
  const handler = guard(fn as (event: Event) => void, onError);
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}
