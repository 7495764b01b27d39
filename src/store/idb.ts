// An idb-keyval UseStore that survives what browsers do to IndexedDB connections. idb-keyval's own
// createStore() cannot time out, never sees versionchange and keeps a dead connection after Safari's
// silent close (https://github.com/jakearchibald/idb-keyval/issues/165), so this is its getDB() with those added.
import { promisifyRequest, type UseStore } from "idb-keyval";

/** The single object store in every segmint database (one store per database: no upgrade ever needs coordinating). */
const STORE = "keyval";

/** Options of openDatabase. */
export interface OpenOptions {
  /** How long `open` may stay unanswered before it counts as failed, in ms (default 3000). */
  timeoutMs?: number | undefined;
}

/** A UseStore for idb-keyval's functions, plus close() (an open connection would block deleting the database). */
export type Database = UseStore & { close(): void };

/** Opens database `name` lazily, on first use; failures reject with a DOMException whose name errors.ts maps to a code. */
export function openDatabase(name: string, { timeoutMs = 3000 }: OpenOptions = {}): Database {
  let dbp: Promise<IDBDatabase> | undefined;
  let conn: IDBDatabase | undefined;
  let closes = 0;
  // Closed by the browser, not by us: allowed once (then reopened), the second time is final.
  const lose = () => {
    conn = dbp = undefined;
    closes++;
  };
  const connect = () =>
    (dbp ||= new Promise<IDBDatabase>((resolve, reject) => {
      if (closes > 1) throw new DOMException(`${name} closed twice`, "ClosedError");
      // Throws where IndexedDB is missing, or its getter throws (cookies blocked, some privacy modes).
      const request = indexedDB.open(name);
      // An open can hang with neither success nor error (Firefox private mode before 115, Safari 14.1:
      // https://github.com/jakearchibald/safari-14-idb-fix); a late success is closed so it blocks nothing.
      const timer = setTimeout(() => {
        request.onsuccess = () => request.result.close();
        reject(new DOMException(`${name} open timed out`, "TimeoutError"));
      }, timeoutMs);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onerror = () => {
        clearTimeout(timer);
        reject(request.error);
      };
      request.onsuccess = () => {
        clearTimeout(timer);
        const db = (conn = request.result);
        // Another tab deletes (forget) or upgrades the database: step aside, reopen on next use.
        db.onversionchange = () => {
          db.close();
          if (conn == db) conn = dbp = undefined;
        };
        db.onclose = () => conn == db && lose();
        resolve(db);
      };
    }));
  const store = <T>(mode: IDBTransactionMode, callback: (s: IDBObjectStore) => T | PromiseLike<T>): Promise<T> =>
    connect().then((db) => {
      let tx: IDBTransaction;
      try {
        tx = db.transaction(STORE, mode);
      } catch (error) {
        // Safari closes backgrounded tabs' connections without a close event; the next transaction says so.
        // A connection we closed ourselves (versionchange, close()) is simply replaced; the browser's counts.
        if ((error as DOMException).name != "InvalidStateError") throw error;
        if (conn == db) lose();
        return store(mode, callback);
      }
      return callback(tx.objectStore(STORE));
    });
  const close = () => {
    const p = dbp;
    conn = dbp = undefined;
    p?.then((db) => db.close(), () => {});
  };
  return Object.assign(store, { close });
}

/** Deletes database `name`; resolves when it is gone, failed, or after `timeoutMs` (blocked by a tab that keeps it open). */
export function deleteDatabase(name: string, timeoutMs = 3000): Promise<void> {
  return new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    const timer = setTimeout(resolve, timeoutMs);
    // onblocked is not an end: the other segmint tabs close on versionchange and the delete then proceeds.
    request.onsuccess = request.onerror = () => {
      clearTimeout(timer);
      resolve();
    };
  }).catch(() => {});
}

/** Every [key, value] in key order, in one transaction (idb-keyval's entries() without its pre-getAll fallback). */
export function readAll(db: UseStore): Promise<[IDBValidKey, unknown][]> {
  return db("readonly", (store) =>
    Promise.all([promisifyRequest(store.getAllKeys()), promisifyRequest(store.getAll())]).then(([keys, values]) =>
      keys.map((key, i): [IDBValidKey, unknown] => [key, values[i]]),
    ),
  );
}
