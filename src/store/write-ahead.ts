// A tiny synchronous write-ahead buffer for what must survive an abrupt close (tab killed, crash, mobile
// discard): IndexedDB writes started at pagehide may never commit, a localStorage write returns committed.
import type { Json } from "../rules/types";
import { readJson, removeKey, writeJson } from "./local";

const KEY = "segmint:wal";
/** At most this many records (the newest): one per open page at a time, never an unbounded list. */
const MAX = 20;

/** One record: `id` identifies what it is about (e.g. the page view), `t` is when it was last written (epoch ms). */
export interface WalRecord {
  id: string;
  t: number;
  [key: string]: Json;
}

const read = (): WalRecord[] => {
  const list = readJson(KEY);
  return Array.isArray(list) ? list.filter((r: WalRecord | null) => typeof r?.id == "string" && Number.isFinite(r.t)) : [];
};

/** Stores `record`, replacing the one with the same id; false when localStorage is unavailable or full. */
export function writeAhead(record: WalRecord): boolean {
  return writeJson(KEY, read().filter((r) => r.id != record.id).concat(record).slice(-MAX));
}

/** Reads and removes the records last written before `before` (default: all). Pass `now` minus a few update
 * periods so records another open tab is still updating stay where they are. */
export function takeWriteAhead(before = Infinity): WalRecord[] {
  const all = read();
  const rest = all.filter((r) => r.t >= before);
  if (rest.length) writeJson(KEY, rest);
  else removeKey(KEY);
  return all.filter((r) => r.t < before);
}

/** Removes the record `id` (its page ended normally and recorded what it held itself). */
export function dropWriteAhead(id: string): void {
  const rest = read().filter((r) => r.id != id);
  if (rest.length) writeJson(KEY, rest);
  else removeKey(KEY);
}

/** Removes the whole buffer. */
export function clearWriteAhead(): void {
  removeKey(KEY);
}
