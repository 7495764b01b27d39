// The event log: one record per event under a [t, id] key, so tabs append side by side and never
// rewrite each other's data (no read-modify-write of a growing list), and keys come back in time order.
import type { UseStore } from "idb-keyval";
import type { SegmintEvent } from "../rules/types";
import { onSuccess, readAll, write } from "./idb";

/** The archive's key: strings sort before every array key, so it never mixes with the events. */
const ARCHIVE = "archive";
const DAY = 864e5;

/** Folds pruned events into the previous archive (the SDK's metric rollups); synchronous and pure. */
export type Fold = (pruned: SegmintEvent[], previous: unknown) => unknown;

/** What prune() drops, oldest first: events older than `retentionDays` before `now`, then any beyond `maxEvents`. */
export interface PruneOptions {
  retentionDays: number;
  maxEvents: number;
  now: number;
  fold: Fold;
}

/** The stored events in time order, the archive, and how many stored values were not readable events. */
export interface LoadedEvents {
  events: SegmintEvent[];
  archive: unknown;
  corrupt: number;
}

/** An event log over one database (see createEventLog). */
export interface EventLog {
  /** Queues an event; a write of everything queued is scheduled a task later. */
  append(event: SegmintEvent): void;
  /** Writes everything queued in one transaction; rejects (keeping the events queued) when that fails. */
  flush(): Promise<void>;
  /** Reads events and archive in one transaction, so another tab's prune can never make an event count twice. */
  load(): Promise<LoadedEvents>;
  /** Deletes the oldest events and stores their fold in the archive, atomically; `share` also drops that fraction. */
  prune(options: PruneOptions, share?: number): Promise<void>;
  /** Forgets queued events (forget(), or the switch to memory). */
  discard(): void;
}

/** True for a value with what every event has; anything else is skipped as corrupt. */
export function isEvent(value: unknown): value is SegmintEvent {
  const e = value as SegmintEvent | null;
  return typeof e?.id == "string" && Number.isFinite(e.t) && typeof e.type == "string";
}

/** How many of the oldest events (given their times, ascending) a prune drops. */
export function pruneCount(times: number[], { retentionDays, maxEvents, now }: Omit<PruneOptions, "fold">, share = 0): number {
  const { length } = times;
  const old = times.filter((t) => t < now - retentionDays * DAY).length;
  return Math.min(length, Math.max(old, length - maxEvents, Math.ceil(length * share)));
}

/** Keeps everything and the archive as it is: what a quota prune uses before the SDK ever called prune(). */
const keepAll: PruneOptions = { retentionDays: Infinity, maxEvents: Infinity, now: 0, fold: (_, previous) => previous };

/** The event log in `db`. Writes are batched one task (setTimeout 0) after the first append: a burst from one
 * task (page view → segment → exposure) costs one transaction and the IndexedDB work never runs inside the
 * caller's task; a background tab's throttled timer only delays it, and pagehide calls flush(). */
export function createEventLog(db: UseStore, onError: (error: unknown) => void): EventLog {
  let queue: SegmintEvent[] = [];
  let tail: Promise<unknown> = Promise.resolve();
  let epoch = 0;
  let lastPrune = keepAll;

  // Full: drop the oldest 20% (folded into the archive by the last fold, so metrics keep them) and retry once.
  const save = (batch: SegmintEvent[], retried?: boolean): Promise<void> =>
    write(db, (store) => batch.forEach((e) => store.put(e, [e.t, e.id]))).catch((error: unknown) => {
      if (retried || (error as Error | null)?.name != "QuotaExceededError") throw error;
      return prune(lastPrune, 0.2).then(
        () => save(batch, true),
        () => Promise.reject(error),
      );
    });

  const flush = () => {
    const batch = queue;
    const at = epoch;
    queue = [];
    // A batch taken before discard() (forget) but still waiting for an earlier write is dropped, not written.
    const run = tail.then(() => (batch[0] && at == epoch ? save(batch) : undefined));
    tail = run.catch(() => {});
    return run.catch((error: unknown) => {
      if (at == epoch) queue = batch.concat(queue);
      throw error;
    });
  };

  const prune = (options: PruneOptions, share = 0) => {
    lastPrune = options;
    return write(db, (store) => {
      // Every array key, i.e. every event (`[]` is the smallest array key).
      const keys = store.getAllKeys(IDBKeyRange.lowerBound([]));
      keys.onsuccess = () => {
        const found = keys.result as [number, string][];
        const n = pruneCount(found.map((k) => k[0]), options, share);
        if (!n) return;
        const oldest = IDBKeyRange.bound([], found[n - 1]!);
        const values = store.getAll(oldest);
        const previous = store.get(ARCHIVE);
        // fold runs before the first write, so archive and deletions commit together or not at all.
        onSuccess(previous, () => {
          store.put(options.fold(values.result.filter(isEvent), previous.result), ARCHIVE);
          store.delete(oldest);
        });
      };
    });
  };

  return {
    // A write is scheduled when the queue was empty (a flush in between leaves it nothing to do); events put
    // back by a failed write wait for the next flush(), the storage having switched to memory by then.
    append(event) {
      if (queue.push(event) == 1) setTimeout(() => flush().catch(onError));
    },
    flush,
    load() {
      const loaded: LoadedEvents = { events: [], archive: undefined, corrupt: 0 };
      return readAll(db, (key, value) => {
        if (key === ARCHIVE) loaded.archive = value;
        else if (Array.isArray(key) && isEvent(value)) loaded.events.push(value);
        else loaded.corrupt++;
      }).then(() => loaded);
    },
    prune,
    discard() {
      queue = [];
      epoch++;
    },
  };
}
