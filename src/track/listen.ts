// Every collector attaches its listeners through here, so that a bug in segmint never throws into the host page.

/** Receives what a collector caught instead of letting it reach the page. */
export type OnError = (err: unknown) => void;

/** Wraps fn so that an exception goes to onError (and the call returns undefined) instead of reaching the page. */
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
    }
  };
}

/** fn's result, or undefined when it throws (an invalid selector or URL, a blocked API). */
export const attempt = <R>(fn: () => R): R | undefined => guard(fn)();

/** Adds one guarded listener for each of the space-separated event `types`; returns the function that removes them. */
export function listen(
  target: EventTarget,
  types: string,
  fn: (event: Event) => void,
  onError?: OnError,
  options?: AddEventListenerOptions | boolean,
): () => void {
  const handler = guard(fn, onError);
  const each = (method: "addEventListener" | "removeEventListener") =>
    types.split(" ").forEach((type) => target[method](type, handler, options));
  each("addEventListener");
  return () => each("removeEventListener");
}
