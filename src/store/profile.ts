// Profile documents ("visitor", "traits", "sticky", …): opaque JSON per key, changed only inside one
// transaction that reads and writes (idb-keyval's update()), so concurrent tabs merge.
import type { UseStore } from "idb-keyval";
import { onSuccess, readAll, write } from "./idb";

/** The schema version written with every document (`{ v, data }`). */
export const PROFILE_VERSION = 1;

/** Moves a document's data from version `v` (the table's key) to `v + 1`; run in order on read and update. */
export type Migrations = Record<number, (data: unknown, key: string) => unknown>;

/** The profile documents in one database (see createProfile). */
export interface Profile {
  /** Every readable document's data by key, and how many stored values were unreadable. */
  getAll(): Promise<{ docs: Record<string, unknown>; corrupt: number }>;
  /** Applies `fn` to the stored data inside one transaction; resolves to what was stored (undefined: left alone). */
  update<T>(key: string, fn: (current: T | undefined) => T): Promise<T | undefined>;
}

// { data } when usable (migrated forward), null for a newer version (left alone: a newer segmint wrote it), undefined when corrupt.
function decode(key: IDBValidKey, doc: unknown, migrations: Migrations): { data: unknown } | null | undefined {
  const d = doc as { v: number; data: unknown } | undefined;
  if (typeof key != "string" || !Number.isInteger(d?.v) || !("data" in d!)) return;
  let { v, data } = d!;
  if (v > PROFILE_VERSION) return null;
  try {
    // A missing migration throws as well: the document is unreadable.
    for (; v < PROFILE_VERSION; v++) data = migrations[v]!(data, key);
    return { data };
  } catch {}
}

/** The profile in `db`; `migrations` move documents written by older versions forward. */
export function createProfile(db: UseStore, migrations: Migrations = {}): Profile {
  return {
    getAll() {
      let corrupt = 0;
      const docs: [string, unknown][] = [];
      return readAll(db, (key, value) => {
        const doc = decode(key, value, migrations);
        if (doc) docs.push([key as string, doc.data]);
        else if (doc === undefined) corrupt++;
      }).then(() => ({ docs: Object.fromEntries(docs), corrupt })); // own properties: "__proto__" is just a key
    },
    update<T>(key: string, fn: (current: T | undefined) => T) {
      let result: T | undefined;
      return write(db, (store) => {
        const request = store.get(key);
        onSuccess(request, () => {
          const doc = decode(key, request.result, migrations);
          if (doc !== null) store.put({ v: PROFILE_VERSION, data: (result = fn(doc?.data as T | undefined)) }, key);
        });
      }).then(() => result);
    },
  };
}
