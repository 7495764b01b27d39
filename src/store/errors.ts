// Stable codes for storage problems: reported once through on("error"), never thrown into the host page.

/** IndexedDB is missing, forbidden or broken (privacy modes, disabled storage): the page runs from memory. */
export const SEGMINT_STORAGE_UNAVAILABLE = "SEGMINT_STORAGE_UNAVAILABLE";
/** IndexedDB did not answer `open` in time (Firefox private mode, some Safari states): the page runs from memory. */
export const SEGMINT_STORAGE_TIMEOUT = "SEGMINT_STORAGE_TIMEOUT";
/** The connection closed again after one reopen (Safari closes backgrounded tabs' connections): the page runs from memory. */
export const SEGMINT_STORAGE_CLOSED = "SEGMINT_STORAGE_CLOSED";
/** The origin's quota is exhausted even after pruning: new events stay in memory. */
export const SEGMINT_STORAGE_FULL = "SEGMINT_STORAGE_FULL";
/** Some stored values could not be read; they were skipped and the rest kept. */
export const SEGMINT_STORAGE_CORRUPT = "SEGMINT_STORAGE_CORRUPT";

/** One of the storage error codes above. */
export type StorageErrorCode =
  | typeof SEGMINT_STORAGE_UNAVAILABLE
  | typeof SEGMINT_STORAGE_TIMEOUT
  | typeof SEGMINT_STORAGE_CLOSED
  | typeof SEGMINT_STORAGE_FULL
  | typeof SEGMINT_STORAGE_CORRUPT;

// DOMException names (idb.ts names its own time-out and close), each at the index of its code's suffix minus one.
const NAMES: readonly unknown[] = ["TimeoutError", "ClosedError", "QuotaExceededError"];
const SUFFIXES = ["UNAVAILABLE", "TIMEOUT", "CLOSED", "FULL"] as const;

/** The code for an IndexedDB failure, read from its DOMException name; any other failure is UNAVAILABLE. */
export const storageErrorCode = (error: unknown): StorageErrorCode =>
  `SEGMINT_STORAGE_${SUFFIXES[NAMES.indexOf((error as Error | null)?.name) + 1]!}`;
