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

/** The stored records, less the one with id `without`. */
const read = (without?: string): WalRecord[] =>
  (readJson<(WalRecord | null)[]>(KEY, Array.isArray) ?? []).filter(
    (r): r is WalRecord => typeof r?.id == "string" && r.id != without && Number.isFinite(r.t),
  );
/** Stores `list`; an empty one removes the key. */
const save = (list: WalRecord[]) => (list[0] ? writeJson(KEY, list) : clearWriteAhead());

/** Stores `record`, replacing the one with the same id; false when localStorage is unavailable or full. */
export const writeAhead = (record: WalRecord): boolean => writeJson(KEY, read(record.id).concat(record).slice(-MAX));

/** Reads and removes the records marked `final` (their page ended) and those last written before `before`
 * (default: all). Pass `now` minus a few update periods so records another open tab is still updating stay. */
export function takeWriteAhead(before = Infinity): WalRecord[] {
  const all = read();
  const taken = (r: WalRecord) => r.final === true || r.t < before;
  save(all.filter((r) => !taken(r)));
  return all.filter(taken);
}

/** Removes the record `id` (its page ended normally and recorded what it held itself). */
export const dropWriteAhead = (id: string): void => void save(read(id));

/** Removes the whole buffer. */
export const clearWriteAhead = (): void => removeKey(KEY);
