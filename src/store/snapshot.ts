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

const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s == "string");

/** The stored snapshot, or null when absent, unreadable or malformed. */
export function readSnapshot(): Snapshot | null {
  const s = readJson(KEY) as Snapshot | null;
  const traits = s?.traits;
  return s?.v === 1 &&
    typeof s.visitorId == "string" &&
    strings(s.segments) &&
    strings(s.held) &&
    typeof traits == "object" &&
    !!traits &&
    !Array.isArray(traits) &&
    Number.isFinite(s.t)
    ? s
    : null;
}

/** Stores the snapshot; false when localStorage is unavailable or full (the page then simply flickers). */
export function writeSnapshot(snapshot: Omit<Snapshot, "v">): boolean {
  return writeJson(KEY, { ...snapshot, v: 1 });
}

/** Removes the snapshot. */
export function clearSnapshot(): void {
  removeKey(KEY);
}
