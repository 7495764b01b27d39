// localStorage that never throws: it is missing or throws on access when storage is blocked (Safari and
// Firefox with cookies disabled, sandboxed iframes), setItem throws when full, and any value may be corrupt JSON.

/** fn's result, or `fallback` when it throws: the store's one guard, so that storage never throws into the page. */
export function safely<T>(fn: () => T): T | undefined;
export function safely<T>(fn: () => T, fallback: T): T;
export function safely<T>(fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** The parsed JSON under `key` when `valid` accepts it, else null (absent, unreadable, not JSON, malformed). */
export const readJson = <T>(key: string, valid: (value: Partial<T> | null) => boolean): T | null =>
  safely(() => {
    const value = JSON.parse(localStorage.getItem(key) ?? "null");
    return valid(value) ? value : null;
  }, null);

/** Stores `value` as JSON under `key`; false when localStorage is unavailable or full. */
export const writeJson = (key: string, value: unknown): boolean =>
  safely(() => (localStorage.setItem(key, JSON.stringify(value)), true), false);

/** Removes `key`, if localStorage can be reached at all. */
export const removeKey = (key: string): void => safely(() => localStorage.removeItem(key));
