// Experience triggers besides exit intent (exit-intent.ts): after some seconds on the page, or once the visitor has
// scrolled to a depth. Each returns its stop.

/** Calls `fire` once after `seconds` on the page. */
export function afterSeconds(seconds: number, fire: () => void): () => void {
  const timer = setTimeout(fire, Math.max(0, seconds) * 1000);
  return () => clearTimeout(timer);
}

/** Calls `fire` once the visitor has seen `percent` of the page's height (0–100). */
export function atScrollDepth(win: Window, percent: number, fire: () => void): () => void {
  const check = () => {
    const doc = win.document.documentElement;
    const seen = ((win.scrollY + win.innerHeight) / Math.max(1, doc.scrollHeight)) * 100;
    if (seen >= percent) {
      stop();
      fire();
    }
  };
  const stop = () => win.removeEventListener("scroll", check);
  win.addEventListener("scroll", check, { passive: true });
  // A short page may already be seen whole.
  const timer = setTimeout(check, 0);
  return () => (clearTimeout(timer), stop());
}
