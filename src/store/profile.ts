// Profile documents ("visitor", "traits", "sticky", …): opaque JSON per key, changed only through
// idb-keyval's update() so the read and the write share one transaction and concurrent tabs merge.
import { update, type UseStore } from "idb-keyval";
import { readAll } from "./idb";

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
function decode(key: string, doc: unknown, migrations: Migrations): { data: unknown } | null | undefined {
  const d = doc as { v: number; data: unknown } | null;
  if (typeof d != "object" || !d || !Number.isInteger(d.v) || !("data" in d)) return undefined;
  if (d.v > PROFILE_VERSION) return null;
  let { v, data } = d;
  try {
    for (; v < PROFILE_VERSION; v++) {
      const step = migrations[v];
      if (!step) return undefined;
      data = step(data, key);
    }
  } catch {
    return undefined;
  }
  return { data };
}

/** The profile in `db`; `migrations` move documents written by older versions forward. */
export function createProfile(db: UseStore, migrations: Migrations = {}): Profile {
  return {
    getAll: () =>
      readAll(db).then((rows) => {
        let corrupt = 0;
        const docs: [string, unknown][] = [];
        for (const [key, value] of rows) {
          const doc = typeof key == "string" ? decode(key, value, migrations) : undefined;
          if (doc) docs.push([key as string, doc.data]);
          else if (doc === undefined) corrupt++;
        }
        // fromEntries defines own properties: a "__proto__" key cannot reach the prototype.
        return { docs: Object.fromEntries(docs), corrupt };
      }),
    update<T>(key: string, fn: (current: T | undefined) => T) {
      let result: T | undefined;
      return update(
        key,
        (stored: unknown) => {
          const doc = decode(key, stored, migrations);
          if (doc === null) return stored;
          result = fn(doc?.data as T | undefined);
          return { v: PROFILE_VERSION, data: result };
        },
        db,
      ).then(() => result);
    },
  };
}
