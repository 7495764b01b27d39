// Every collector attaches its listeners through here, so that a bug in segmint never throws into the host page.

/** Receives what a collector caught instead of letting it reach the page. */
export type OnError = (err: unknown) => void;

/** Wraps fn so that an exception goes to onError instead of the page. */
export function guard<A extends unknown[]>(fn: (...args: A) => void, onError?: OnError): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch (err) {
      try {
        onError?.(err);
      } catch {
        // A failing reporter must not reach the page either.
      }
    }
  };
}

/** Adds a guarded listener and returns the function that removes it. */
export function listen(
  target: EventTarget,
  type: string,
  fn: (event: Event) => void,
  onError?: OnError,
  options?: AddEventListenerOptions | boolean,
): () => void {
  const handler = guard(fn, onError);
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}

/** One stop function for several. */
export function stopAll(stops: Array<() => void>): () => void {
  return () => stops.forEach((stop) => stop());
}
