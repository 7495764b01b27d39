// localStorage that never throws: it is missing or throws on access when storage is blocked (Safari and
// Firefox with cookies disabled, sandboxed iframes), setItem throws when full, and any value may be corrupt JSON.

/** The parsed JSON under `key`, or null when absent, unreadable or not JSON. */
export function readJson(key: string): unknown {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null");
  } catch {
    return null;
  }
}

/** Stores `value` as JSON under `key`; false when localStorage is unavailable or full. */
export function writeJson(key: string, value: unknown): boolean {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Removes `key`, if localStorage can be reached at all. */
export function removeKey(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {}
}
