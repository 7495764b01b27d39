// The facade the SDK uses. IndexedDB persists; a memory mirror holds everything this page knows, so when
// IndexedDB is missing, hangs, closes twice or is full, the page switches to the mirror and loses nothing.
import type { SegmintEvent } from "../rules/types";
import { SEGMINT_STORAGE_CORRUPT, storageErrorCode, type StorageErrorCode } from "./errors";
import { createEventLog, pruneCount, type PruneOptions } from "./events";
import { deleteDatabase, openDatabase, write } from "./idb";
import { createProfile, type Migrations } from "./profile";
import { clearRulesCache } from "./rules-cache";
import { clearSnapshot } from "./snapshot";
import { clearWriteAhead } from "./write-ahead";

const NAMES = ["segmint-events", "segmint-profile"];

/** Options of createStorage. */
export interface StorageOptions {
  /** "indexeddb" (default) keeps data in the visitor's browser; "memory" only for this page. */
  kind?: "indexeddb" | "memory" | undefined;
  /** Told once when storage degrades, with a stable code; the storage itself never throws or rejects. */
  onError?: ((code: StorageErrorCode, message: string) => void) | undefined;
  /** How long IndexedDB may take to open or delete, in ms (default 3000). */
  timeoutMs?: number | undefined;
  /** Moves profile documents written by older versions forward (see profile.ts). */
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
  /** Records an event; stored a task later, off the calling path. */
  append(event: SegmintEvent): void;
  /** Changes one profile document with a pure delta `fn` (it may run twice: mirror, then stored document); resolves to the result. */
  updateProfile<T>(key: string, fn: (current: T | undefined) => T): Promise<T | undefined>;
  /** Drops the oldest events, folding them into the archive in the same transaction. */
  prune(options: PruneOptions): Promise<void>;
  /** Writes what is queued (call at pagehide and visibilitychange:hidden). */
  flush(): Promise<void>;
  /** Erases every byte: both databases, snapshot, rules cache, write-ahead buffer. */
  clear(): Promise<void>;
  /** Everything stored about the visitor: the profile documents at top level, `events`, `archive`. */
  export(): Promise<Record<string, unknown>>;
}

// Stable: events of the same millisecond keep the order they were appended in.
const byTime = (a: SegmintEvent, b: SegmintEvent) => a.t - b.t;

/** Storage in IndexedDB with a memory fallback (or memory only). Databases open on first use, so "memory" never opens one. */
export function createStorage({ kind, onError, timeoutMs, migrations }: StorageOptions = {}): SegmintStorage {
  let events: SegmintEvent[] = [];
  let archive: unknown;
  let profile: Record<string, unknown> = {};
  let persistent = kind != "memory";
  let corruptTold = false;
  // One list per load() in progress, of the events appended since it started (clear() ends them all).
  const reading = new Set<SegmintEvent[]>();
  const dbs = NAMES.map((name) => openDatabase(name, { timeoutMs }));

  const tell = (code: StorageErrorCode, message: string) => {
    try {
      onError?.(code, message);
    } catch {}
  };
  // From now on nothing is written and the mirror is the storage; connections left open step aside when
  // another tab deletes the databases.
  const fail = (error: unknown) => {
    if (!persistent) return;
    persistent = false;
    log.discard();
    tell(storageErrorCode(error), `IndexedDB: ${(error as Error | null)?.message}`);
  };
  const log = createEventLog(dbs[0]!, fail);
  const docs = createProfile(dbs[1]!, migrations);
  // One IndexedDB step; any failure switches to the mirror, which already has everything.
  const guard = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
    try {
      if (persistent) return await step();
    } catch (error) {
      fail(error);
    }
  };

  const load = async (): Promise<Stored> => {
    // Events appended from now on may miss from the read; the ones before are flushed into it (or were
    // stored earlier and maybe pruned into the archive by another tab since: then they must not come back).
    const fresh: SegmintEvent[] = [];
    reading.add(fresh);
    await guard(async () => {
      await log.flush();
      const [stored, found] = await Promise.all([log.load(), docs.getAll()]);
      if (!reading.has(fresh)) return; // cleared meanwhile
      const known = new Set(stored.events.map((e) => e.id));
      events = stored.events.concat(fresh.filter((e) => !known.has(e.id)));
      archive = stored.archive;
      profile = found.docs;
      const corrupt = stored.corrupt + found.corrupt;
      if (corrupt && !corruptTold) {
        corruptTold = true;
        tell(SEGMINT_STORAGE_CORRUPT, `${corrupt} unreadable stored values skipped`);
      }
    });
    reading.delete(fresh);
    return { events: events.sort(byTime).slice(), archive, profile: { ...profile } };
  };

  return {
    get mode() {
      return persistent ? "indexeddb" : "memory";
    },
    load,
    append(event) {
      events.push(event);
      reading.forEach((fresh) => fresh.push(event));
      if (persistent) log.append(event);
    },
    async updateProfile<T>(key: string, fn: (current: T | undefined) => T) {
      try {
        profile[key] = fn(profile[key] as T | undefined); // a throwing delta changes nothing
        const stored = await guard(() => docs.update(key, fn));
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
        await guard(() => log.flush().then(() => log.prune(options)));
      } catch {}
    },
    flush: () => guard(log.flush),
    async clear() {
      reading.clear();
      events = [];
      archive = undefined;
      profile = {};
      clearSnapshot();
      clearRulesCache();
      clearWriteAhead();
      if (persistent) {
        log.discard();
        // Emptied first, in case a tab that does not step aside on versionchange blocks the delete (this
        // page's own connections do step aside, and reopen when used again).
        await Promise.all(dbs.map((db) => write(db, (store) => store.clear()).catch(() => {})));
      }
      await Promise.all(NAMES.map((name) => deleteDatabase(name, timeoutMs)));
    },
    export: () => load().then(({ profile: documents, ...rest }) => ({ ...documents, ...rest })),
  };
}
