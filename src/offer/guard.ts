// Every offer handler goes through here, so that a bug in segmint never throws into the host page.
// (The same idea as track/listen.ts: offer/ may import only rules/, which must stay DOM-free.)

/** Receives what a handler threw instead of letting it reach the page. */
export type OnError = (err: unknown) => void;

/** Hands `err` to onError; a failing reporter must not reach the page either. */
export function report(err: unknown, onError?: OnError): void {
  try {
    onError?.(err);
  } catch {
    // nowhere left to report it
  }
}

/** Wraps fn so that an exception goes to onError instead of the page. */
export function guard<A extends unknown[]>(fn: (...args: A) => void, onError?: OnError): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch (err) {
      report(err, onError);
    }
  };
}

/** Adds a guarded listener and returns the function that removes it. */
export function listen<E extends Event>(
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
