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

/** Opens database `name` lazily, on first use; failures reject with a DOMException whose name storage.ts maps to a code. */
export function openDatabase(name: string, { timeoutMs = 3000 }: OpenOptions = {}): Database {
  let dbp: Promise<IDBDatabase> | undefined;
  let closes = 0;
  const connect = () => {
    if (dbp) return dbp;
    const p: Promise<IDBDatabase> = new Promise((resolve, reject) => {
      // Throws where IndexedDB is missing, or its getter throws (cookies blocked, some privacy modes).
      const request = indexedDB.open(name);
      // An open can hang with neither success nor error (Firefox private mode before 115, Safari 14.1:
      // https://github.com/jakearchibald/safari-14-idb-fix); a late success is closed so it blocks nothing.
      const timer = setTimeout(() => {
        request.onsuccess = () => request.result.close();
        reject(new DOMException("open timed out", "TimeoutError"));
      }, timeoutMs);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onerror = () => reject(request.error); // the timer's reject is then a no-op
      request.onsuccess = () => {
        clearTimeout(timer);
        const db = request.result;
        // Another tab deletes (forget) or upgrades the database: step aside, reopen on next use.
        db.onversionchange = () => {
          db.close();
          if (dbp == p) dbp = undefined;
        };
        resolve(db);
      };
    });
    return (dbp = p);
  };
  const store = <T>(mode: IDBTransactionMode, callback: (s: IDBObjectStore) => T | PromiseLike<T>): Promise<T> => {
    const p = connect();
    return p.then((db) => {
      try {
        return callback(db.transaction(STORE, mode).objectStore(STORE));
      } catch (error) {
        // The browser closed the connection (Safari closes backgrounded tabs' connections, often without a close
        // event): the next transaction says so. That is allowed once (then reopened); the second time is final.
        // Connections we close ourselves (versionchange, close()) are replaced before they are used again.
        if ((error as DOMException).name != "InvalidStateError") throw error;
        if (dbp == p) {
          if (closes++) throw new DOMException("closed twice", "ClosedError");
          dbp = undefined;
        }
        return store(mode, callback);
      }
    });
  };
  store.close = () => {
    dbp?.then((db) => db.close(), () => {});
    dbp = undefined;
  };
  return store;
}

/** Deletes database `name`; resolves when it is gone, failed, or after `timeoutMs` (blocked by a tab that keeps it open). */
export const deleteDatabase = (name: string, timeoutMs = 3000): Promise<void> =>
  new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    setTimeout(resolve, timeoutMs); // a no-op once the delete has ended
    // onblocked is not an end: the other segmint tabs close on versionchange and the delete then proceeds.
    request.onsuccess = request.onerror = () => resolve();
  }).catch(() => {});

/** Runs `fn` in a readwrite transaction; resolves when that commits, rejects when it fails or is aborted. */
export const write = (db: UseStore, fn: (store: IDBObjectStore) => unknown): Promise<void> =>
  db("readwrite", (store) => (fn(store), promisifyRequest(store.transaction)));

/** Sets `request`'s success handler; one that throws aborts the transaction (nothing it wrote is kept). */
export const onSuccess = (request: IDBRequest, handler: () => void): void => {
  request.onsuccess = () => {
    try {
      handler();
    } catch {
      request.transaction!.abort();
    }
  };
};

/** Calls `each` with every key and value in key order, read in one transaction (idb-keyval's entries()). */
export const readAll = (db: UseStore, each: (key: IDBValidKey, value: unknown) => void): Promise<void> =>
  db("readonly", (store) =>
    Promise.all([promisifyRequest(store.getAllKeys()), promisifyRequest(store.getAll())]).then(([keys, values]) =>
      keys.forEach((key, i) => each(key, values[i])),
    ),
  );
