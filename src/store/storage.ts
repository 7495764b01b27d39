// What the SDK persists through. IndexedDB persists; a memory mirror holds everything this page knows, so when
// IndexedDB is missing, hangs, closes twice or is full, the page switches to the mirror and loses nothing.
// Two databases: the event log (one record per event under a [t, id] key, so tabs append side by side and never
// rewrite each other's data, and keys come back in time order) and the profile documents (`{ v, data }`, changed
// only inside a transaction that reads and writes, so concurrent tabs merge).
import type { SegmintEvent } from "../rules/types";
import { deleteDatabase, onSuccess, openDatabase, readAll, write, type Database } from "./idb";
import { safely } from "./local";
import { clearRulesCache } from "./rules-cache";
import { clearSnapshot } from "./snapshot";
import { clearWriteAhead } from "./write-ahead";

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

/** The code for an IndexedDB failure, read from its DOMException name (idb.ts names its own); any other is UNAVAILABLE. */
const codeOf = (error: unknown) =>
  `SEGMINT_STORAGE_${({ TimeoutError: "TIMEOUT", ClosedError: "CLOSED", QuotaExceededError: "FULL" } as Record<string, string>)[(error as Error | null)?.name!] ?? "UNAVAILABLE"}` as StorageErrorCode;

/** Folds pruned events into the previous archive (the SDK's metric rollups); synchronous and pure. */
export type Fold = (pruned: SegmintEvent[], previous: unknown) => unknown;

/** What prune() drops, oldest first: events older than `retentionDays` before `now`, then any beyond `maxEvents`. */
export interface PruneOptions {
  retentionDays: number;
  maxEvents: number;
  now: number;
  fold: Fold;
}

/** The schema version written with every profile document (`{ v, data }`). */
export const PROFILE_VERSION = 1;

/** Moves a document's data from version `v` (the table's key) to `v + 1`; run in order on read and update. */
export type Migrations = Record<number, (data: unknown, key: string) => unknown>;

/** Options of createStorage. */
export interface StorageOptions {
  /** "indexeddb" (default) keeps data in the visitor's browser; "memory" only for this page. */
  kind?: "indexeddb" | "memory" | undefined;
  /** Told once when storage degrades, with a stable code; the storage itself never throws or rejects. */
  onError?: ((code: StorageErrorCode, message: string) => void) | undefined;
  /** How long IndexedDB may take to open or delete, in ms (default 3000). */
  timeoutMs?: number | undefined;
  /** Moves profile documents written by older versions forward. */
  migrations?: Migrations | undefined;
}

/** Everything stored: events in time order, the archive of pruned events, and the profile documents. */
export interface Stored {
  events: SegmintEvent[];
  archive: unknown;
  profile: Record<string, unknown>;
}

/** What the SDK persists through; every promise resolves, none rejects. */
export interface SegmintStorage {
  /** "memory" once IndexedDB failed (or when asked for). */
  readonly mode: "indexeddb" | "memory";
  /** Reads everything stored (by every tab) and refreshes the mirror. */
  load(): Promise<Stored>;
  /** Records an event; written a task later (one transaction per burst), off the calling path. */
  append(event: SegmintEvent): void;
  /** Changes one profile document with a pure delta `fn` (it may run twice: mirror, then stored document); resolves to the result. */
  updateProfile<T>(key: string, fn: (current: T | undefined) => T): Promise<T | undefined>;
  /** Drops the oldest events, folding them into the archive in the same transaction. */
  prune(options: PruneOptions): Promise<void>;
  /** Writes what is queued, after any write in flight (call at pagehide and visibilitychange:hidden). */
  flush(): Promise<void>;
  /** Erases every byte: both databases, snapshot, rules cache, write-ahead buffer. */
  clear(): Promise<void>;
  /** Everything stored about the visitor: the profile documents at top level, `events`, `archive`. */
  export(): Promise<Record<string, unknown>>;
}

const NAMES = ["segmint-events", "segmint-profile"];
/** The archive's key in the event log: strings sort before every array key, so it never mixes with the events. */
const ARCHIVE = "archive";
const DAY = 864e5;

/** True for a value with what every event has; anything else is skipped as corrupt. */
export const isEvent = (value: unknown): value is SegmintEvent => {
  const e = value as SegmintEvent | null;
  return typeof e?.id == "string" && Number.isFinite(e.t) && typeof e.type == "string";
};

/** How many of the oldest events (given their times, ascending) a prune drops; `share` also drops that fraction. */
export const pruneCount = (times: number[], { retentionDays, maxEvents, now }: Omit<PruneOptions, "fold">, share = 0): number =>
  Math.min(times.length, Math.max(times.filter((t) => t < now - retentionDays * DAY).length, times.length - maxEvents, Math.ceil(times.length * share)));

/** A profile document's data (migrated forward), null for a newer version (left alone: a newer segmint wrote it), undefined when corrupt. */
function decode(key: IDBValidKey, doc: unknown, migrations: Migrations): { data: unknown } | null | undefined {
  const d = doc as { v: number; data: unknown } | undefined;
  if (typeof key != "string" || !Number.isInteger(d?.v) || !("data" in d!)) return;
  let { v, data } = d!;
  if (v > PROFILE_VERSION) return null;
  // A missing migration throws as well: the document is unreadable.
  return safely(() => {
    for (; v < PROFILE_VERSION; v++) data = migrations[v]!(data, key);
    return { data };
  });
}

// Stable: events of the same millisecond keep the order they were appended in.
const byTime = (a: SegmintEvent, b: SegmintEvent) => a.t - b.t;

/**
 * Storage in IndexedDB with a memory fallback (or memory only). Databases open on first use, so "memory" never opens
 * one. Writes are batched one task (setTimeout 0) after the first append: a burst from one task (page view → segment
 * → exposure) costs one transaction and the IndexedDB work never runs inside the caller's task; a background tab's
 * throttled timer only delays it, and pagehide calls flush().
 */
export function createStorage({ kind, onError, timeoutMs, migrations = {} }: StorageOptions = {}): SegmintStorage {
  let events: SegmintEvent[] = [];
  let archive: unknown;
  let profile: Record<string, unknown> = {};
  let persistent = kind != "memory";
  let corruptTold = false;
  // Events appended while a load() is in progress (since the first of them started), and how many are.
  let fresh: SegmintEvent[] = [];
  let loading = 0;
  const [log, docs] = NAMES.map((name) => openDatabase(name, { timeoutMs })) as [Database, Database];
  // Events not yet written, the write in flight, and a count of clear()s and switches to memory (a batch taken
  // before one is dropped, a load() that read before one is ignored).
  let queue: SegmintEvent[] = [];
  let tail: Promise<unknown> = Promise.resolve();
  let epoch = 0;
  // A quota prune folds with the last fold, so metrics keep what it drops; before any prune(), the archive stays.
  let lastPrune: PruneOptions = { retentionDays: Infinity, maxEvents: Infinity, now: 0, fold: (_, previous) => previous };

  const tell = (code: StorageErrorCode, message: string) => safely(() => onError?.(code, message));
  const discard = () => {
    queue = [];
    epoch++;
  };
  // From now on nothing is written and the mirror is the storage; connections left open step aside when
  // another tab deletes the databases.
  const fail = (error: unknown) => {
    if (persistent) {
      persistent = false;
      discard();
      tell(codeOf(error), `IndexedDB: ${(error as Error | null)?.message}`);
    }
  };
  // One IndexedDB step; any failure switches to the mirror, which already has everything.
  const guard = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
    try {
      if (persistent) return await step();
    } catch (error) {
      fail(error);
    }
  };

  // Drops the oldest stored events and stores their fold in the archive, atomically: fold runs before the
  // first write, so archive and deletions commit together or not at all.
  const prunePersisted = (options: PruneOptions, share?: number) =>
    write(log, (store) => {
      lastPrune = options;
      // Every array key, i.e. every event (`[]` is the smallest array key).
      const keys = store.getAllKeys(IDBKeyRange.lowerBound([]));
      const previous = store.get(ARCHIVE);
      onSuccess(previous, () => {
        const found = keys.result as [number, string][];
        const n = pruneCount(found.map((k) => k[0]), options, share);
        if (!n) return;
        const oldest = IDBKeyRange.bound([], found[n - 1]!);
        const values = store.getAll(oldest);
        onSuccess(values, () => {
          store.put(options.fold(values.result.filter(isEvent), previous.result), ARCHIVE);
          store.delete(oldest);
        });
      });
    });

  // Full: drop the oldest 20% (folded into the archive by the last fold, so metrics keep them) and retry once.
  const save = (batch: SegmintEvent[], retried?: boolean): Promise<unknown> =>
    // commit() right away: Chromium drops a write still pending when the page unloads (a click that navigates).
    write(log, (store) => (batch.forEach((e) => store.put(e, [e.t, e.id])), store.transaction.commit?.())).catch((error: unknown) => {
      if (retried || (error as Error | null)?.name != "QuotaExceededError") throw error;
      return prunePersisted(lastPrune, 0.2).then(() => save(batch, true), () => Promise.reject(error));
    });

  // Writes everything queued in one transaction, after the write in flight; a batch taken before clear() but
  // still waiting for that write is dropped, not written.
  const flushQueue = () => {
    const batch = queue;
    const at = epoch;
    queue = [];
    return (tail = tail.catch(() => {}).then(() => batch[0] && at == epoch && save(batch)));
  };
  const flush = () => guard(flushQueue) as Promise<void>;

  const load = async (): Promise<Stored> => {
    // Events appended from now on may miss from the read; the ones before are flushed into it (or were
    // stored earlier and maybe pruned into the archive by another tab since: then they must not come back).
    loading++;
    const at = epoch;
    await guard(async () => {
      await flushQueue();
      const stored: SegmintEvent[] = [];
      const found: [string, unknown][] = [];
      let storedArchive: unknown;
      let corrupt = 0;
      // Events and archive in one transaction, so another tab's prune can never make an event count twice.
      await Promise.all([
        readAll(log, (key, value) => {
          if (key === ARCHIVE) storedArchive = value;
          else if (Array.isArray(key) && isEvent(value)) stored.push(value);
          else corrupt++;
        }),
        readAll(docs, (key, value) => {
          const doc = decode(key, value, migrations);
          if (doc) found.push([key as string, doc.data]);
          else if (doc === undefined) corrupt++;
        }),
      ]);
      if (at != epoch) return; // cleared meanwhile
      const known = new Set(stored.map((e) => e.id));
      events = stored.concat(fresh.filter((e) => !known.has(e.id)));
      archive = storedArchive;
      profile = Object.fromEntries(found); // own properties: "__proto__" is just a key
      if (corrupt && !corruptTold) {
        corruptTold = true;
        tell(SEGMINT_STORAGE_CORRUPT, `${corrupt} unreadable stored values skipped`);
      }
    });
    if (!--loading) fresh = [];
    return { events: events.sort(byTime).slice(), archive, profile: { ...profile } };
  };

  return {
    get mode() {
      return persistent ? "indexeddb" : "memory";
    },
    load,
    append(event) {
      events.push(event);
      if (loading) fresh.push(event);
      // A write is scheduled when the queue was empty (a flush in between leaves it nothing to do).
      if (persistent && queue.push(event) == 1) setTimeout(flush);
    },
    async updateProfile<T>(key: string, fn: (current: T | undefined) => T) {
      try {
        profile[key] = fn(profile[key] as T | undefined); // a throwing delta changes nothing
        let stored: T | undefined;
        await guard(() =>
          write(docs, (store) => {
            const request = store.get(key);
            onSuccess(request, () => {
              const doc = decode(key, request.result, migrations);
              if (doc !== null) store.put({ v: PROFILE_VERSION, data: (stored = fn(doc?.data as T | undefined)) }, key);
              store.transaction.commit?.();
            });
          }),
        );
        // The stored result includes other tabs' changes: adopt it.
        if (stored !== undefined) profile[key] = stored;
      } catch {}
      return profile[key] as T | undefined;
    },
    async prune(options) {
      try {
        const n = pruneCount(events.sort(byTime).map((e) => e.t), options);
        // fold first: if it throws, nothing is dropped anywhere
        if (n) archive = options.fold(events.slice(0, n), archive);
        events = events.slice(n);
        // Queued events go in first, so the stored log prunes the same events the mirror just did.
        await guard(() => flushQueue().then(() => prunePersisted(options)));
      } catch {}
    },
    flush,
    async clear() {
      discard();
      fresh = [];
      events = [];
      archive = undefined;
      profile = {};
      clearSnapshot();
      clearRulesCache();
      clearWriteAhead();
      if (persistent) {
        // Emptied first, in case a tab that does not step aside on versionchange blocks the delete (this
        // page's own connections do step aside, and reopen when used again).
        await Promise.all([log, docs].map((db) => write(db, (store) => store.clear()).catch(() => {})));
      }
      await Promise.all(NAMES.map((name) => deleteDatabase(name, timeoutMs)));
    },
    export: () => load().then(({ profile: documents, ...rest }) => ({ ...documents, ...rest })),
  };
}
