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
