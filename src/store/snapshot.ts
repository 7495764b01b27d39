// The small synchronous snapshot the head script reads before first paint (IndexedDB is asynchronous):
// just enough to set segment classes and apply changes with no flicker, nothing more.
import type { Json } from "../rules/types";
import { readJson, removeKey, writeJson } from "./local";

const KEY = "segmint:snapshot";

/** What the start path needs, synchronously. */
export interface Snapshot {
  v: 1;
  visitorId: string;
  /** Segment ids the visitor was in. */
  segments: string[];
  /** Held-out or capped experience ids (not to be applied early). */
  held: string[];
  /** Only the trait values that text tokens use. */
  traits: Record<string, Json>;
  /** When it was written (epoch ms). */
  t: number;
}

const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s == "string");

/** The stored snapshot, or null when absent, unreadable or malformed. */
export const readSnapshot = (): Snapshot | null =>
  readJson(
    KEY,
    (s: Partial<Snapshot> | null) =>
      s?.v === 1 &&
      typeof s.visitorId == "string" &&
      strings(s.segments) &&
      strings(s.held) &&
      s.traits instanceof Object &&
      !Array.isArray(s.traits) &&
      Number.isFinite(s.t),
  );

/** Stores the snapshot; false when localStorage is unavailable or full (the page then simply flickers). */
export const writeSnapshot = (snapshot: Omit<Snapshot, "v">): boolean => writeJson(KEY, { ...snapshot, v: 1 });

/** Removes the snapshot. */
export const clearSnapshot = (): void => removeKey(KEY);
