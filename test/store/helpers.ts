// Shared test helpers: a fresh fake IndexedDB per test, event factories, and a way to reach the live connections.
import { forceCloseDatabase, IDBFactory } from "fake-indexeddb";
import { vi } from "vitest";
import type { SegmintEvent } from "../../src/rules/types";

/** A new, empty fake IndexedDB behind the global (each test starts from nothing). */
export function freshIndexedDB(): IDBFactory {
  const factory = new IDBFactory();
  globalThis.indexedDB = factory;
  return factory;
}

/** An event at time `t` (ms); ids default to a per-time name. */
export function ev(t: number, id = `e${t}`, extra: Partial<SegmintEvent> = {}): SegmintEvent {
  return { id, t, type: "pageview", sid: "s1", path: "/", ...extra };
}

/** Records every connection opened from now on, by database name. */
export function trackConnections(): Map<string, IDBDatabase[]> {
  const opened = new Map<string, IDBDatabase[]>();
  const factory = globalThis.indexedDB;
  const open = factory.open.bind(factory);
  vi.spyOn(factory, "open").mockImplementation((name: string, version?: number) => {
    const request = open(name, version);
    request.addEventListener("success", () => opened.set(name, [...(opened.get(name) ?? []), request.result]));
    return request;
  });
  return opened;
}

/** Collects onError calls. */
export function errors() {
  const seen: { code: string; message: string }[] = [];
  return { seen, onError: (code: string, message: string) => void seen.push({ code, message }), codes: () => seen.map((e) => e.code) };
}

/** Closes a connection the way a browser does on its own (fires "close"); fake-indexeddb's types want its class. */
export function closeAbruptly(db: IDBDatabase | undefined): void {
  forceCloseDatabase(db as never);
}
